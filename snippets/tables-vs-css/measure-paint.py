"""Load pages in headless Chromium and report when their content was painted and whether it moved.

usage: measure-paint.py [--during S] [--after S] [--shots DIR] URL...

Each page is loaded in its own tab, all at once. At --during seconds (inside the server's stall) and at
--after seconds (once it is over) the tab is photographed and the width of the element with class "main"
noted, and at --after also where the element with class "side" (the right column) sits. The figures
come from Chromium's own performance timeline: first contentful paint, largest contentful paint and
cumulative layout shift. Needs `pip install playwright` and a Chromium (Debian's `chromium` package is
used as it is; no browser download).
"""
import argparse
import asyncio
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import async_playwright

OBSERVE = """
window.__perf = {fcp: null, lcp: null, cls: 0};
new PerformanceObserver(list => { for (const e of list.getEntries())
  if (e.name === 'first-contentful-paint') window.__perf.fcp = e.startTime; }).observe({type: 'paint', buffered: true});
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__perf.lcp = e.startTime; })
  .observe({type: 'largest-contentful-paint', buffered: true});
new PerformanceObserver(list => { for (const e of list.getEntries())
  if (!e.hadRecentInput) window.__perf.cls += e.value; }).observe({type: 'layout-shift', buffered: true});
"""
MAIN_WIDTH = "(() => { const m = document.querySelector('.main'); return m ? m.getBoundingClientRect().width : 0; })()"
SIDE_SPAN = ("(() => { const s = document.querySelector('.side'); if (!s) return null;"
             " const r = s.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.right)]; })()")


async def measure(browser, url, during, after, shots):
    page = await browser.new_page(viewport={"width": 1000, "height": 600})
    await page.add_init_script(OBSERVE)
    start = asyncio.get_running_loop().time()
    await page.goto(url, wait_until="commit")
    name = Path(urlsplit(url).path).stem
    widths = []
    for moment in (during, after):
        await asyncio.sleep(max(0, start + moment - asyncio.get_running_loop().time()))
        widths.append(round(await page.evaluate(MAIN_WIDTH)))
        if shots:
            await page.screenshot(path=str(shots / f"{name}-{moment:g}s.png"))
    side = await page.evaluate(SIDE_SPAN)
    await page.wait_for_load_state("load")
    perf = await page.evaluate("window.__perf")
    await page.close()
    return name, perf, widths, side


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--during", type=float, default=1.0)
    parser.add_argument("--after", type=float, default=6.0)
    parser.add_argument("--shots", type=Path)
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args()
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"))
        print(f"Chromium {browser.version}; moments {args.during:g} s and {args.after:g} s after the request")
        results = await asyncio.gather(*(measure(browser, u, args.during, args.after, args.shots) for u in args.urls))
        await browser.close()
    print()
    print(f"| Page | First contentful paint | Largest contentful paint | Layout shift (CLS) "
          f"| Main section width at {args.during:g} s → {args.after:g} s | Right column at {args.after:g} s |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for name, perf, (early, late), side in results:
        fcp = f"{perf['fcp']:.0f} ms" if perf["fcp"] is not None else "none"
        lcp = f"{perf['lcp']:.0f} ms" if perf["lcp"] is not None else "none"
        span = f"{side[0]}–{side[1]} px" if side else "none"
        print(f"| `{name}.html` | {fcp} | {lcp} | {perf['cls']:.3f} | {early} px → {late} px | {span} |")


asyncio.run(main())
