// Runs in each page of the built book (tests/browser/reader.py) and reports what a reader
// sees. Everything that decides pass or fail is in Python; this only measures.
async (options) => {
  const withTimeout = (promise, ms) =>
    Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve("timeout"), ms))]);
  const short = (text, n = 90) => (text || "").replace(/\s+/g, " ").trim().slice(0, n);
  const article = document.querySelector("article.bd-article") || document.querySelector("main")
    || document.body;

  // --- maths --------------------------------------------------------------------------
  const maths = { loaded: false, state: "no MathJax on this page", errors: [], unrendered: [] };
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    maths.loaded = true;
    const done = await withTimeout(MathJax.startup.promise.then(() => "done"), 20000);
    maths.state = done === "done" ? "typeset" : "MathJax did not finish typesetting in 20 s";
    const mjdoc = MathJax.startup.document;
    if (mjdoc && mjdoc.math && MathJax.startup.toMML) {
      for (const item of mjdoc.math) {
        let mml = "";
        try { mml = MathJax.startup.toMML(item.root); } catch (e) { mml = "<merror>"; }
        // merror: a TeX error; mathcolor="red": an undefined macro shown in red (noundefined)
        if (/<merror|mathcolor="red"/.test(mml)) maths.errors.push(short(item.math, 120));
      }
    }
  } else if (window.MathJax) {
    maths.state = "MathJax configured but its script did not load";
  }
  for (const el of document.querySelectorAll("mjx-merror, [data-mjx-error]")) {
    maths.errors.push(short(el.getAttribute("data-mjx-error") || el.textContent, 120));
  }
  for (const el of article.querySelectorAll(".math")) {
    if (!el.querySelector("mjx-container")) maths.unrendered.push(short(el.textContent, 120));
  }

  // Visible text with typeset maths and code removed: what is left must hold no TeX.
  const clone = article.cloneNode(true);
  for (const el of clone.querySelectorAll(
    "mjx-container, script, style, pre, code, kbd, samp, textarea, .highlight, .headerlink"
  )) el.remove();
  const prose = clone.textContent.replace(/\s+/g, " ");

  // --- images -------------------------------------------------------------------------
  for (const img of document.images) if (img.loading === "lazy") img.loading = "eager";
  await withTimeout(Promise.all(Array.from(document.images, (img) =>
    img.complete ? null : img.decode().catch(() => null))), 10000);
  const articleBox = article.getBoundingClientRect();
  const images = Array.from(document.images, (img, index) => {
    const box = img.getBoundingClientRect();
    const figure = img.closest("figure");
    const caption = figure ? figure.querySelector("figcaption") : null;
    const cell = img.closest(".cell");
    const source = cell ? cell.querySelector(".cell_input pre") : null;
    return {
      index,
      src: img.getAttribute("src") || "",
      url: img.currentSrc || img.src,
      alt: img.getAttribute("alt"),
      loaded: img.complete && img.naturalWidth > 0,
      natural: img.naturalWidth,
      content: article.contains(img) && !img.closest(".bd-header-article, .prev-next-area"),
      output: !!img.closest(".cell_output, .output"),
      caption: caption ? short(caption.textContent, 200) : "",
      cellSource: source ? short(source.textContent, 70) : "",
      width: box.width,
      right: box.right,
      parentWidth: img.parentElement ? img.parentElement.getBoundingClientRect().width : 0,
    };
  });

  // --- links and cross-references -----------------------------------------------------
  const links = Array.from(document.querySelectorAll("a[href]"), (a) => ({
    href: a.getAttribute("href"),
    url: a.href,
    text: short(a.textContent, 60) || short(a.getAttribute("title"), 60) || "(no text)",
  }));
  const unresolved = Array.from(document.querySelectorAll(
    ".problematic, span.xref.std-ref, span.xref.std-numref, span.xref.std-doc, span.xref.cite"
  ), (el) => short(el.textContent, 80));

  // --- layout ---------------------------------------------------------------------------
  const viewport = document.documentElement.clientWidth;
  const columnRight = Math.min(viewport, articleBox.right);
  // What happens to a box that sticks out: an ancestor inside the content scrolls it (fine:
  // a table's or an equation's own scroll box), clips it (the reader cannot see the rest),
  // or nothing does. The theme's article container also scrolls, but prose that makes it
  // scroll is a defect, so the search stops at the article.
  const scrollerOf = (el) => {
    const box = el.getBoundingClientRect();
    for (let a = el.parentElement; a && a !== article && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll") return "scrolls";
      if (o === "hidden" || o === "clip") {
        const edge = a.getBoundingClientRect();
        if (box.right > edge.right + 2 || box.left < edge.left - 2) return "clips";
      }
    }
    return null;
  };
  const describe = (el) => {
    const cls = (el.getAttribute("class") || "").trim().split(/\s+/).slice(0, 2).join(".");
    return el.tagName.toLowerCase() + (cls ? "." + cls : "");
  };
  const overflow = [];
  const seenOverflow = new Set();
  for (const el of article.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right <= columnRight + 2 && box.left >= articleBox.left - 2) continue;
    // screen-reader copies of the maths are clipped on purpose; side notes may stick out
    if (el.closest("mjx-assistive-mml, .margin, .full-width, aside, .sidebar")) continue;
    const scroller = scrollerOf(el);
    if (scroller === "scrolls") continue;
    // report the outermost offender only
    let parentReported = false;
    for (let a = el.parentElement; a && a !== article; a = a.parentElement) {
      if (seenOverflow.has(a)) { parentReported = true; break; }
    }
    seenOverflow.add(el);
    if (parentReported) continue;
    overflow.push({
      element: describe(el),
      text: short(el.textContent, 70),
      right: Math.round(box.right),
      left: Math.round(box.left),
      top: Math.round(box.top + window.scrollY),
      clipped: scroller === "clips",
    });
  }
  // Prose whose text spills out of its own box (a long unbreakable word, a wide inline item).
  const proseBlocks = "p, li, dt, dd, h1, h2, h3, h4, h5, h6, blockquote, figcaption, caption";
  for (const el of article.querySelectorAll(proseBlocks)) {
    const box = el.getBoundingClientRect();
    if (el.clientWidth === 0 || box.left + el.scrollWidth <= columnRight + 2) continue;
    if (getComputedStyle(el).overflowX !== "visible" || scrollerOf(el) === "scrolls") continue;
    if (el.closest(".margin, .full-width, aside, .sidebar") || seenOverflow.has(el)) continue;
    overflow.push({
      element: describe(el),
      text: short(el.textContent, 70),
      right: Math.round(box.left + el.scrollWidth),
      left: Math.round(box.left),
      top: Math.round(box.top + window.scrollY),
      clipped: false,
    });
  }
  const tables = Array.from(article.querySelectorAll("table"), (t) => {
    const box = t.getBoundingClientRect();
    return {
      text: short(t.textContent, 60),
      width: Math.round(box.width),
      fits: box.right <= columnRight + 2,
      scrolls: scrollerOf(t) === "scrolls",
    };
  });

  // --- buttons --------------------------------------------------------------------------
  const download = document.querySelector("a.btn-download-source-button");
  const launch = Array.from(document.querySelectorAll(".dropdown-launch-buttons a"),
    (a) => ({ href: a.href, title: a.getAttribute("title") || short(a.textContent) }));

  return {
    title: document.title,
    url: location.href,
    maths,
    prose,
    images,
    links,
    unresolved,
    viewport,
    innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    columnLeft: Math.round(articleBox.left),
    columnRight: Math.round(columnRight),
    overflow: overflow.slice(0, 20),
    tables,
    download: download ? download.href : null,
    launch,
    ids: Array.from(document.querySelectorAll("[id]"), (el) => el.id),
  };
}
