/**
 * The page's only stylesheet, inlined: local fonts only (no web font, no url()). Text colours
 * meet WCAG 2.2 AA contrast on their backgrounds: #1a1a1a on white is 17:1, #7a2e00 on #fff4e5
 * is 8.4:1. Gaps are marked by the word "Gap:" and a border, never by colour alone.
 */
export const ANNEX_IV_STYLE = `
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1a1a1a; font: 15px/1.5 "DejaVu Sans", system-ui, sans-serif; }
header, nav, main, footer, section.summary { max-width: 76rem; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1.5rem; border-bottom: 2px solid #1a1a1a; }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; }
h1 { margin: .2rem 0 1rem; font-size: 1.7rem; }
h2 { margin-top: 2.5rem; padding-bottom: .3rem; border-bottom: 1px solid #8c8c8c; font-size: 1.4rem; }
h3 { margin-top: 1.8rem; font-size: 1.1rem; }
.ref { font-weight: normal; font-size: .9em; }
a { color: #0b4f8a; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .85em; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .88rem; width: 100%; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: .3rem; }
th, td { border: 1px solid #8c8c8c; padding: .25rem .5rem; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
thead th { background: #f0f0f0; }
table.facts th { width: 30%; background: #f7f7f7; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.gap { margin: .6rem 0; padding: .5rem .75rem; border: 2px dashed #7a2e00; border-left-width: 6px; background: #fff4e5; color: #7a2e00; }
.gap strong { text-transform: none; }
.sources { font-size: .8rem; color: #404040; }
.sources ul { margin: .2rem 0; padding-left: 1.2rem; }
.notice p { margin: .4rem 0; }
nav ol { columns: 2 22rem; margin: 1rem 0; padding-left: 1.4rem; }
footer { margin-top: 3rem; padding-bottom: 2rem; border-top: 1px solid #8c8c8c; font-size: .85rem; }
@media print { body { font-size: 10pt; } h2 { break-before: page; } table, .gap { break-inside: auto; } tr { break-inside: avoid; } }
`;
