"""Headless Chromium helpers for the report tests: screenshots, printing to PDF, counting its
pages, and a layout check run inside the page.

The layout check copies the report with a script appended to its body that, once the page is
laid out, lists every element whose text overflows its box (scrollWidth > clientWidth, outside
SVG) and every SVG <text> whose bounding box leaves its SVG's viewBox, and writes the list as
JSON into <pre id="layout-check">; Chromium's --dump-dom then returns it.
"""
import json
import re
import subprocess

# The flags the workplace's probe uses: no sandbox as root, no background network (the machine
# has none), a fresh profile per run.
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--enable-logging=stderr", "--v=0"]

CHECK_SCRIPT = r"""
<script>
(function () {
  var bad = [];
  function name(e) {
    return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
        (e.className && typeof e.className === "string" ? "." + e.className.split(" ")[0] : "");
  }
  document.querySelectorAll("body *").forEach(function (e) {
    if (e.closest("svg") || e.tagName === "SCRIPT" || e.tagName === "STYLE") return;
    var cs = getComputedStyle(e);
    if (cs.display === "none" || cs.display === "inline" || cs.display === "contents") return;
    if (!e.textContent.trim() || e.clientWidth === 0) return;
    if (e.scrollWidth > e.clientWidth + 1) {
      bad.push("overflow " + name(e) + " " + e.scrollWidth + ">" + e.clientWidth + ": " +
               e.textContent.trim().slice(0, 60));
    }
  });
  document.querySelectorAll("svg").forEach(function (svg) {
    var vb = svg.viewBox && svg.viewBox.baseVal;
    if (!vb || !vb.width) return;
    svg.querySelectorAll("text").forEach(function (t) {
      var b = t.getBBox();
      if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 ||
          b.y + b.height > vb.y + vb.height + 0.5) {
        bad.push("svg text outside the viewBox (" + [b.x, b.y, b.width, b.height].map(Math.round) +
                 " in 0,0," + vb.width + "," + vb.height + "): " + t.textContent.slice(0, 60));
      }
    });
  });
  var pre = document.createElement("pre");
  pre.id = "layout-check";
  pre.textContent = JSON.stringify(bad);
  document.body.appendChild(pre);
})();
</script>
"""


def _chromium(args, timeout=180):
    return subprocess.run(CHROMIUM + args, capture_output=True, text=True, timeout=timeout)


def screenshot(html_path, png_path, profile, width, height):
    """A screenshot of the page at width x height; returns Chromium's log."""
    run = _chromium([f"--user-data-dir={profile}", f"--screenshot={png_path}",
                     f"--window-size={width},{height}", "file://" + html_path])
    return run.stderr


def print_to_pdf(html_path, pdf_path, profile):
    """Prints the page as Chromium does (the page's @page rule sets A4); returns the log."""
    run = _chromium([f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}",
                     "--no-pdf-header-footer", "file://" + html_path], timeout=300)
    return run.stderr


def pdf_pages(pdf_path):
    """The number of page objects in the PDF ("/Type /Page", not "/Pages")."""
    with open(pdf_path, "rb") as f:
        data = f.read()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def pdf_page_size_mm(pdf_path):
    """The first page's MediaBox in millimetres (width, height)."""
    with open(pdf_path, "rb") as f:
        data = f.read()
    m = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    if not m:
        return None
    x0, y0, x1, y1 = (float(v) for v in m.groups())
    return ((x1 - x0) * 25.4 / 72, (y1 - y0) * 25.4 / 72)


def run_in_page(html_path, profile, width, script, tag):
    """(value, log): runs `script` (a <script> element that writes JSON into <pre id=TAG>) at
    the end of a copy of the page, at this window width; value is None if it did not run."""
    with open(html_path, encoding="utf-8") as f:
        html = f.read()
    checked = html_path[:-5] + f"-{tag}-{width}.html"
    with open(checked, "w", encoding="utf-8") as f:
        f.write(html.replace("</body>", script + "</body>"))
    run = _chromium([f"--user-data-dir={profile}", f"--window-size={width},1200", "--dump-dom",
                     "file://" + checked])
    m = re.search(f'<pre id="{tag}">(.*?)</pre>', run.stdout, re.S)
    if not m:
        return None, run.stderr
    text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return json.loads(text.replace("&amp;", "&")), run.stderr


def layout_problems(html_path, profile, width):
    """(problems, log): the layout check's list at this window width, None if it did not run."""
    return run_in_page(html_path, profile, width, CHECK_SCRIPT, "layout-check")
