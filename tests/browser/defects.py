"""What counts as a defect: each function turns a ``Visit`` into sentences, one a defect.

The tests assert that each list is empty, so a failure names the page, the width and what
a reader would meet.
"""

from __future__ import annotations

import re

from .reader import BookReader, Visit

# TeX left in the visible text once MathJax has run (code blocks and typeset maths removed).
RAW_TEX = re.compile(
    r"\$\$|\\begin\{|\\end\{|\\[()\[\]]|\\[A-Za-z]{2,}|"
    r"\$[^\s$][^$\n]{0,200}?[^\s$\\]\$|\$[A-Za-z]\$"
)


def problems_maths(visit: Visit) -> list[str]:
    report = visit.report
    maths = report["maths"]
    problems = []
    if maths["loaded"] and maths["state"] != "typeset":
        problems.append(maths["state"])
    if maths["unrendered"]:
        if not maths["loaded"]:
            problems.append(f"MathJax is not running: {maths['state']}")
        problems += [f"maths not typeset: {tex!r}" for tex in maths["unrendered"][:5]]
    problems += [f"MathJax error in {tex!r}" for tex in maths["errors"][:5]]
    reported_up_to = -1
    for match in RAW_TEX.finditer(report["prose"]):
        if match.start() < reported_up_to or len(problems) >= 8:
            continue  # one line per stretch of raw TeX
        start = max(0, match.start() - 30)
        reported_up_to = match.end() + 60
        context = report["prose"][start:reported_up_to].strip()
        problems.append(f"raw TeX {match.group(0)!r} in the visible text: …{context}…")
    return problems


def problems_images(visit: Visit) -> list[str]:
    return [
        f"broken image: <img src={image['src']!r}> did not load"
        for image in visit.report["images"]
        if not image["loaded"]
    ] + [f"missing resource: {url}" for url in visit.failed_requests if _is_image(url)]


def _is_image(url: str) -> bool:
    return bool(re.search(r"\.(png|jpe?g|gif|svg|webp)(\?|$)", url, re.IGNORECASE))


def problems_console(visit: Visit) -> list[str]:
    return (
        [f"JavaScript error: {error}" for error in visit.page_errors]
        + [f"console error: {message}" for message in visit.console_errors]
        + [f"failed request: {url}" for url in visit.failed_requests]
    )


def problems_network(visit: Visit) -> list[str]:
    return [f"request to the network (refused): {url}" for url in visit.network_requests]


def problems_links(visit: Visit, reader: BookReader) -> list[str]:
    problems = []
    for link in visit.report["links"]:
        href = link["href"] or ""
        if href.startswith(("mailto:", "javascript:", "tel:")) or href in ("#", ""):
            continue
        target, fragment = reader.resolve(link["url"])
        if target is None:
            continue  # another site: not checked here (the tests have no network)
        if not target.is_file():
            problems.append(f"dead link {link['text']!r} -> {href}: no such file")
        elif fragment and target.suffix == ".html" and fragment not in reader.ids_in(target):
            ids = set(visit.report["ids"]) if target == reader.html / visit.page else set()
            if fragment not in ids:
                problems.append(f"dead link {link['text']!r} -> {href}: no #{fragment} there")
    problems += [f"unresolved cross-reference {text!r}" for text in visit.report["unresolved"]]
    return problems


def problems_solutions(visit: Visit) -> list[str]:
    problems = []
    for number, solution in enumerate(visit.solutions, start=1):
        name = f"solution {number} ({solution['title']!r})"
        if solution["open_at_start"]:
            problems.append(f"{name} is open when the page opens: it must start collapsed")
        elif solution["has_body"] and solution["opens_on_click"] is False:
            problems.append(f"{name} does not expand when its title is clicked")
    return problems


def problems_layout(visit: Visit) -> list[str]:
    report = visit.report
    width = report["innerWidth"]
    problems = []
    if report["scrollWidth"] > report["viewport"] + 1:
        problems.append(
            f"the page scrolls sideways: {report['scrollWidth']} px of content "
            f"in a {report['viewport']} px window"
        )
    for item in report["overflow"]:
        how = "is cut off" if item["clipped"] else "sticks out and nothing scrolls it"
        problems.append(
            f"{item['element']} {item['text']!r} {how}: it spans x = {item['left']}..."
            f"{item['right']} px, the column {report['columnLeft']}...{report['columnRight']} px"
            f" (y = {item['top']} px down the page)"
        )
    for image in report["images"]:
        if image["content"] and image["loaded"] and image["right"] > report["columnRight"] + 2:
            problems.append(
                f"figure {image['src']!r} is {round(image['width'])} px wide and runs past "
                f"the column's right edge ({report['columnRight']} px) at {width} px"
            )
    for table in report["tables"]:
        if not table["fits"] and not table["scrolls"]:
            problems.append(
                f"table {table['text']!r} ({table['width']} px) is wider than the column "
                "and does not scroll inside itself"
            )
    return problems


def problems_dark(visit: Visit) -> list[str]:
    problems = []
    dark = visit.dark or {"theme": None, "figures": []}
    if dark["theme"] != "dark":
        return [f"could not switch to dark mode (data-theme={dark['theme']!r})"]
    for figure in dark["figures"]:
        if figure["transparent"] is None:
            problems.append(f"figure {figure['src']!r}: pixels unreadable (cross-origin?)")
        elif figure["transparent"] > 0.02 and figure["backdrop"] < 0.5:
            problems.append(
                f"figure {figure['src']!r} is {figure['transparent']:.0%} transparent and shows "
                f"a dark background through it in dark mode (luminance {figure['backdrop']:.2f}):"
                " dark axes and labels vanish; save it with an opaque white facecolor"
            )
    return problems


FIGURE_MIN_WIDTH = 48  # px: a smaller image in the content is an icon
GENERIC_ALT = re.compile(r"^(image|figure|plot|graph|chart|png|img|output)\W*\d*$", re.IGNORECASE)


def problems_alt_text(visit: Visit) -> list[str]:
    """Every figure in the content needs alt text or a caption that says what to notice."""
    problems = []
    for image in visit.report["images"]:
        figure = image["output"] or image["caption"] or image["natural"] >= FIGURE_MIN_WIDTH
        if not image["content"] or not figure:
            continue  # the theme's icons (the module index's 9 px toggles) are not figures
        alt = (image["alt"] or "").strip()
        alt_is_words = (
            len(alt.split()) >= 3
            and not GENERIC_ALT.match(alt)
            and not re.search(r"\.(png|jpe?g|svg|gif)$", alt, re.IGNORECASE)
            and "/" not in alt.split()[0]
        )
        if alt_is_words or len(image["caption"].split()) >= 3:
            continue
        name = image["src"].rsplit("/", 1)[-1]
        name = f"{name[:8]}….{name.rsplit('.', 1)[-1]}" if len(name) > 24 else name
        where = f" in the cell starting {image['cellSource']!r}" if image["cellSource"] else ""
        said = f"its alt text is {alt!r}" if alt else "it has no alt text"
        if alt and alt.endswith(image["src"].rsplit("/", 1)[-1]):
            said = "its alt text is its file name"
        problems.append(f"figure {name}{where}: {said}, and no caption")
    return problems
