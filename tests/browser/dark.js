// Switches the page to the theme's dark mode (as the theme's own button does) and measures,
// for each figure in the content, how much of it is transparent and what colour shows
// through: black axes on a transparent PNG vanish on a dark page.
async () => {
  const html = document.documentElement;
  html.dataset.mode = "dark";
  html.dataset.theme = "dark";
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const article = document.querySelector("article.bd-article") || document.body;
  const parse = (colour) => {
    const m = colour.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const luminance = ({ r, g, b }) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  const backdrop = (el) => {
    for (let a = el; a; a = a.parentElement) {
      const c = parse(getComputedStyle(a).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const pageBackground = luminance(backdrop(document.body));
  const figures = [];
  for (const [index, img] of Array.from(document.images).entries()) {
    if (!article.contains(img) || !img.complete || img.naturalWidth === 0) continue;
    if (img.closest(".bd-header-article, .prev-next-area")) continue;
    const scale = Math.min(1, 300 / img.naturalWidth);
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    const context = canvas.getContext("2d");
    let transparent = null;
    try {
      context.drawImage(img, 0, 0, canvas.width, canvas.height);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] < 128) count += 1;
      transparent = count / (pixels.length / 4);
    } catch (e) {
      transparent = null; // cross-origin: cannot read pixels
    }
    figures.push({
      index,
      src: img.getAttribute("src") || "",
      transparent,
      backdrop: luminance(backdrop(img)),
    });
  }
  return { theme: html.dataset.theme, pageBackground, figures };
}
