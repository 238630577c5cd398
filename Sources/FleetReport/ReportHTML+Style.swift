extension ReportHTML {
    /// Inline CSS: A4 pages with a page break before each section, a CJK font stack (without a CJK
    /// font every Chinese character prints as an empty box), tables that repeat their header on a
    /// new page and never split a row.
    static let style = """
        @page { size: A4; margin: 14mm 13mm 15mm 13mm; }
        :root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --head: #f0f4f8; --accent: #0b6e99;
                --ok: #2f9e44; --bad: #c92a2a; --warn: #f08c00; }
        html { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei",
               "Source Han Sans SC", "Hiragino Sans GB", system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial,
               sans-serif; color: var(--ink); font-size: 10pt; line-height: 1.5;
               -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { margin: 0; }
        main { max-width: 184mm; margin: 0 auto; }
        header.cover { padding-top: 6mm; }
        .brand { color: var(--muted); font-size: 9pt; letter-spacing: 0.04em; }
        h1 { font-size: 26pt; margin: 2mm 0 1mm; color: var(--accent); letter-spacing: 0.08em; }
        .period { font-size: 13pt; margin: 0 0 4mm; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.6mm 5mm; margin: 0 0 5mm;
                   font-size: 9pt; color: var(--muted); }
        dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
        .kpis { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; margin: 4mm 0 5mm; }
        .kpi { border: 1px solid var(--line); border-radius: 2mm; padding: 2.5mm 4mm; }
        .kpi .label { color: var(--muted); font-size: 8.5pt; }
        .kpi .value { font-size: 19pt; font-weight: 700; line-height: 1.25; }
        .kpi .sub { color: var(--muted); font-size: 8.5pt; }
        .kpi.good .value { color: var(--ok); } .kpi.fair .value { color: var(--warn); }
        .kpi.bad .value { color: var(--bad); }
        .lead { font-size: 10.5pt; background: #f8fafc; border-left: 1mm solid var(--accent); padding: 3mm 4mm;
                margin: 0 0 4mm; }
        .note { color: var(--muted); font-size: 8.5pt; }
        .empty { font-size: 12pt; padding: 6mm; border: 1px dashed var(--line); text-align: center; }
        section { break-before: page; page-break-before: always; padding-top: 2mm; }
        h2 { font-size: 16pt; color: var(--accent); border-bottom: 0.6mm solid var(--accent); padding-bottom: 1mm;
             margin: 0 0 4mm; }
        h3 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; page-break-after: avoid; }
        table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 0 0 2mm; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        th { text-align: left; background: var(--head); font-weight: 700; border-bottom: 1px solid #bcccdc; }
        th, td { padding: 1.2mm 2mm; vertical-align: top; }
        td { border-bottom: 1px solid var(--line); }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.total td { font-weight: 700; border-top: 1px solid #9fb3c8; }
        table.handling { font-size: 7.5pt; table-layout: fixed; } table.handling td { padding: 0.9mm 1.4mm; }
        td.id { white-space: nowrap; }
        .pri { display: inline-block; min-width: 6mm; text-align: center; border-radius: 1mm; color: #fff;
               font-weight: 600; font-size: 7.5pt; padding: 0 1mm; }
        .pri.P1 { background: var(--bad); } .pri.P2 { background: var(--warn); }
        figure { margin: 3mm 0 4mm; break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-weight: 700; font-size: 10pt; margin-bottom: 1.5mm; }
        svg { display: block; width: 100%; height: auto; }
        svg text { font-family: inherit; }
        .two { display: grid; grid-template-columns: 1fr 1.6fr; gap: 6mm; }
        ol.recommendations li { margin: 0 0 2.5mm; break-inside: avoid; }
        ol.recommendations .evidence { display: block; color: var(--muted); font-size: 8pt; }
        footer { margin-top: 6mm; font-size: 8pt; color: var(--muted); border-top: 1px solid var(--line);
                 padding-top: 2mm; break-inside: avoid; }
        footer ul { padding-left: 5mm; margin: 1mm 0; }
        @media screen {
          html { background: #e9edf1; }
          main { background: #fff; padding: 12mm 13mm; margin: 6mm auto; box-shadow: 0 1px 4px rgba(0,0,0,0.15); }
          section { border-top: 1px dashed #bcccdc; margin-top: 10mm; padding-top: 8mm; }
        }
        """
}
