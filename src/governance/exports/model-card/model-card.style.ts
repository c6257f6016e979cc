/**
 * The model card page's only stylesheet, inlined: system fonts, no `url()`, no `@import`, nothing
 * loaded. Text colours meet WCAG 2.2 AA contrast (4.5:1): #1a1a1a on white is 17:1, #0b4f8a on
 * white 8.4:1, #1a1a1a on #f2f2f2 15:1. Prints on paper: nothing depends on hover or colour alone.
 */
export const MODEL_CARD_STYLE = `
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1a1a1a; font: 15px/1.5 "DejaVu Sans", system-ui, sans-serif; }
header, nav, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1.5rem; border-bottom: 2px solid #1a1a1a; }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; }
h1 { margin: .2rem 0 1rem; font-size: 1.8rem; }
h1 .version { font-weight: normal; font-size: 1.1rem; }
h2 { margin-top: 2.5rem; padding-bottom: .3rem; border-bottom: 1px solid #8c8c8c; font-size: 1.4rem; }
h3 { margin-top: 1.8rem; font-size: 1.15rem; }
a { color: #0b4f8a; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .85em; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: .4rem 1.5rem; margin: 0 0 1.2rem; }
dl.facts div { min-width: 0; }
dt { font-weight: bold; font-size: .85rem; }
dd { margin: 0; overflow-wrap: anywhere; }
nav ol { columns: 2 14rem; margin: 1rem 0; padding-left: 1.2rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: .3rem; }
th, td { border: 1px solid #8c8c8c; padding: .25rem .5rem; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
thead th { background: #f0f0f0; }
tbody th { font-weight: normal; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 1rem 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { max-width: 60rem; font-size: .9rem; }
.not-recorded { padding: .5rem .75rem; border-left: 4px solid #595959; background: #f2f2f2; }
footer { margin-top: 3rem; padding-bottom: 2rem; border-top: 1px solid #8c8c8c; font-size: .85rem; }
`;
