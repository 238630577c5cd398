/// The page's only style sheet, inline. A CJK font stack (without a CJK font, Chinese renders as
/// empty boxes: PITFALLS.md), one column on a phone, two on a wall screen, and every state
/// named in words as well as colours.
extension StatusPage {
    static let style = """
        :root { --ok: #1b5e20; --okbg: #e3f4e6; --bad: #c62828; --warnbg: #ffe08a; --warn: #5c3d00;
          --p2: #d35400; --line: #d0d7de; --muted: #57606a; }
        * { box-sizing: border-box; }
        html { font-size: 16px; line-height: 1.4; color: #1c1e21; background: #eef0f3;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK SC", "WenQuanYi Micro Hei",
            "PingFang SC", "Microsoft YaHei", sans-serif; }
        html[lang="zh-CN"] { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC",
          "Microsoft YaHei", system-ui, sans-serif; }
        @media (min-width: 1600px) { html { font-size: 20px; } }
        body { margin: 0; }
        a { color: #0b57d0; }
        h1 { font-size: 1.5rem; margin: 0 0 .3rem; }
        h2 { font-size: 1.2rem; margin: .2rem 0 .5rem; }
        h3 { font-size: 1.05rem; margin: 0; }
        header.top { background: #fff; padding: .75rem 1rem; border-bottom: 1px solid var(--line); }
        .back { font-size: .9rem; font-weight: normal; margin-left: .5rem; }
        .health { margin: .3rem 0; padding: .45rem .7rem; border-radius: .4rem; font-weight: 600; }
        .health.ok { background: var(--okbg); color: var(--ok); }
        .health.bad { background: var(--bad); color: #fff; }
        .mark { font-size: 1.1em; }
        .updated { margin: .2rem 0 0; color: var(--muted); font-size: .85rem; }
        .summary, .day { list-style: none; padding: 0; margin: .4rem 0; display: flex; flex-wrap: wrap; gap: .4rem; }
        .summary .total { font-weight: 700; padding: .1rem .3rem; }
        .chip { display: inline-block; padding: .05rem .55rem; border-radius: 1rem; border: 1px solid var(--line);
          white-space: nowrap; background: #fff; font-size: .9rem; }
        .chip.pri.p1 { background: var(--bad); color: #fff; border-color: var(--bad); }
        .chip.pri.p2 { background: var(--p2); color: #fff; border-color: var(--p2); }
        .chip.pri.none { background: #fff; color: var(--muted); border-color: var(--line); }
        .st-online { background: var(--okbg); color: var(--ok); border-color: #7bc47f; }
        .st-degraded { background: var(--warnbg); color: var(--warn); border-color: #c99400; }
        .st-offline { background: var(--bad); color: #fff; border-color: #8e0000; }
        .st-unknown { background: #eceff1; color: #37474f; border: 1px dashed #78909c; }
        .st-maintenance { background: #e3ecfa; color: #1e4f9c; border-color: #8fb0e6; }
        .st-sleeping { background: #eeeaf6; color: #4a3b7a; border-color: #b7a9d9; }
        .hours { font-size: .85rem; border-radius: .3rem; padding: 0 .4rem; white-space: nowrap; }
        .hours.open { background: var(--okbg); color: var(--ok); }
        .hours.closed { background: #eeeaf6; color: #4a3b7a; }
        main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; padding: 1rem; }
        @media (min-width: 1100px) {
          main { grid-template-columns: minmax(0, 3fr) minmax(24rem, 2fr); align-items: start; }
          #problems { grid-column: 2; grid-row: 1; }
          #sites { grid-column: 1; grid-row: 1; }
        }
        .none { color: var(--muted); }
        .incident { background: #fff; border-left: .45rem solid var(--p2); border-radius: .4rem;
          padding: .5rem .75rem; margin: 0 0 .6rem; box-shadow: 0 1px 2px rgba(0, 0, 0, .08); }
        .incident.p1 { border-left-color: var(--bad); }
        .incident.overdue { background: #fff0ef; }
        .incident p { margin: .15rem 0; }
        .pri { display: inline-block; min-width: 2.2em; text-align: center; border-radius: .3rem; color: #fff;
          background: var(--p2); font-weight: 700; padding: 0 .2rem; }
        .p1 .pri { background: var(--bad); }
        .inc { color: var(--muted); font-weight: normal; font-size: .85rem; white-space: nowrap; }
        .tag { font-size: .8rem; font-weight: normal; border: 1px solid var(--line); border-radius: .3rem;
          padding: 0 .3rem; }
        .where { font-weight: 600; }
        .summary-text, .incident .summary { color: #333; font-size: .9rem; overflow-wrap: anywhere; }
        .clocks { list-style: none; padding: 0; margin: .25rem 0; }
        .clocks li.late { color: var(--bad); }
        .facts { color: var(--muted); font-size: .9rem; }
        .day li { background: #fff; border-radius: .4rem; padding: .3rem .7rem; border: 1px solid var(--line); }
        .day li.late { color: var(--bad); border-color: var(--bad); }
        .legend { color: var(--muted); font-size: .85rem; margin: 0 0 .5rem; }
        .site { background: #fff; border-radius: .4rem; margin: 0 0 .6rem; padding: .45rem .75rem;
          box-shadow: 0 1px 2px rgba(0, 0, 0, .08); border-left: .45rem solid #7bc47f; }
        .site.attention { border-left-color: var(--bad); }
        .site > summary { cursor: pointer; font-size: 1.05rem; line-height: 1.9; }
        .site > summary .name { font-weight: 700; font-size: 1.15rem; }
        .sid, .verdict { color: var(--muted); font-size: .85rem; }
        .site.attention .verdict { color: var(--bad); font-weight: 600; }
        .more { font-size: .9rem; color: var(--muted); }
        .fine > summary { cursor: pointer; color: var(--ok); font-size: .9rem; margin: .2rem 0; }
        .tiles { list-style: none; padding: 0; margin: .4rem 0 .2rem; display: grid; gap: .4rem;
          grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); }
        .tile { border-radius: .35rem; border: 1px solid; padding: .3rem .45rem; font-size: .9rem; min-width: 0; }
        .tile:has(details[open]) { grid-column: 1 / -1; }
        .tile summary { list-style: none; cursor: pointer; display: flex; flex-direction: column; }
        .tile summary::-webkit-details-marker { display: none; }
        .tile .id { font-weight: 700; overflow-wrap: anywhere; }
        .tile .nm { font-size: .8rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .tile .sw { font-size: .75rem; opacity: .9; }
        .tile dl { margin: .3rem 0 0; font-size: .85rem; display: grid; grid-template-columns: max-content 1fr;
          gap: .1rem .5rem; }
        .tile dt { font-weight: 600; }
        .tile dd { margin: 0; overflow-wrap: anywhere; }

        """
}
