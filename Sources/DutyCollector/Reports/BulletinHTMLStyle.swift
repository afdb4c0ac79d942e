/// The bulletin's inline style sheet: an A4 page laid out like an official notice (red header,
/// 仿宋 body, 黑体 headings, 小标宋 title), with print rules that drop the screen's page frame.
enum BulletinHTMLStyle {
    static let css = """
    @page { size: A4; margin: 20mm 18mm 20mm 18mm;
      @bottom-center { content: "— " counter(page) " —"; font-size: 10.5pt; font-family: "Times New Roman", serif; } }
    :root { --red: #c8161d; --ink: #1a1a1a; --rule: #3a3a3a; }
    * { box-sizing: border-box; }
    html { background: #e6e6e6; }
    body { margin: 0; color: var(--ink); font-size: 15px; line-height: 1.8;
      font-family: "FangSong", "STFangsong", "仿宋", "仿宋_GB2312", "Noto Serif CJK SC", "Source Han Serif SC",
        "Songti SC", "SimSun", serif; }
    .page { width: 210mm; min-height: 297mm; margin: 24px auto; padding: 20mm 18mm 18mm; background: #fff;
      box-shadow: 0 1px 8px rgba(0, 0, 0, .25); }
    .redhead { text-align: center; }
    .redhead .issuer { color: var(--red); font-size: 30pt; font-weight: 700; letter-spacing: .18em; line-height: 1.25;
      font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "华文中宋", "Noto Serif CJK SC",
        "Source Han Serif SC", "SimSun", serif; }
    .redhead .docno { margin-top: 7mm; font-size: 13pt; letter-spacing: .02em; }
    .redhead .redline { margin-top: 2mm; border-top: 3px solid var(--red); border-bottom: 1px solid var(--red); height: 4px; }
    h1 { margin: 9mm 0 6mm; text-align: center; font-size: 19pt; font-weight: 700; line-height: 1.5; letter-spacing: .02em;
      font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "华文中宋", "Noto Serif CJK SC",
        "Source Han Serif SC", "SimSun", serif; }
    h2 { margin: 6mm 0 1.5mm; font-size: 15.5px; font-weight: 700; page-break-after: avoid;
      font-family: "SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", "Heiti SC", "Microsoft YaHei", sans-serif; }
    p { margin: 0 0 2mm; text-align: justify; }
    p.addressee { margin-top: 0; }
    p.para { text-indent: 2em; }
    html[lang="en"] p.para { text-indent: 0; }
    p.note { font-size: 12px; line-height: 1.5; color: #444; margin-top: -2mm; }
    table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; font-size: 12px; line-height: 1.35;
      font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei", sans-serif; }
    caption { padding-bottom: 1.5mm; font-size: 13px; font-weight: 700; caption-side: top; }
    th, td { border: 1px solid var(--rule); padding: 1.2mm 1.4mm; vertical-align: middle; }
    th { background: #f0f0f0; font-weight: 700; text-align: center; }
    td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.c { text-align: center; white-space: nowrap; }
    td.z { color: #9a9a9a; }
    tr.top td { font-weight: 700; background: #fafafa; }
    tr.excused td { color: #808080; }
    tr { page-break-inside: avoid; }
    thead { display: table-header-group; }
    .up { color: var(--red); }
    .down { color: #1d7a3a; }
    .empty { color: #555; }
    figure { margin: 3mm 0 5mm; text-align: center; page-break-inside: avoid; }
    figure svg { max-width: 100%; height: auto; }
    figcaption { margin-top: 1mm; font-size: 13px; font-weight: 700;
      font-family: "SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
    .sign { margin-top: 4mm; }
    .signature { margin: 14mm 6mm 0 auto; width: max-content; text-align: center; line-height: 2; }
    .colophon { margin-top: 14mm; padding-top: 2mm; border-top: 1px solid #999; border-bottom: 1px solid #999;
      font-size: 12px; line-height: 1.6; color: #333; }
    @media print {
      html { background: none; }
      body { font-size: 14px; }
      .page { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
      h2 + p, h2 + table { page-break-before: avoid; }
    }
    """
}
