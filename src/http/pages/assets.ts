// The pages' one stylesheet, served from /assets/app.css (no other host, no inline styles needed).
export const APP_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.6 "Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#1f2328;background:#f4f5f7}
a{color:#0b5cad}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #f0a000;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
header.top{background:#8b1a1a;color:#fff}
header.top .bar{max-width:1180px;margin:0 auto;padding:8px 16px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
header.top .brand{font-weight:700;font-size:18px;color:#fff;text-decoration:none;margin-right:auto}
header.top nav{display:flex;flex-wrap:wrap;gap:4px 14px}
header.top nav a{color:#fff}
header.top .who{font-size:14px;opacity:.9}
header.top form{margin:0}
header.top button{background:transparent;color:#fff;border:1px solid #fff8;padding:2px 10px;min-height:32px}
main{max-width:1180px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:4px 0 12px}
h2{font-size:18px;margin:0 0 10px}
h3{font-size:16px;margin:12px 0 6px}
.card{background:#fff;border:1px solid #d8dce1;border-radius:6px;padding:14px;margin:0 0 14px;min-width:0}
.grid{display:grid;gap:14px}
@media (min-width:900px){.grid.two{grid-template-columns:minmax(0,3fr) minmax(0,2fr)}}
@media (max-width:899px){.grid.two{display:flex;flex-direction:column;gap:0}.grid.two>div{display:contents}
.o-content{order:1}.o-due{order:2}.o-feedback{order:3}.o-act{order:4}.o-reports{order:5}.o-dup{order:6}.o-routing{order:7}}
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px;margin:0 0 16px;padding:0;list-style:none}
.counts a{display:block;background:#fff;border:1px solid #d8dce1;border-radius:6px;padding:12px;text-decoration:none;color:#1f2328}
.counts strong{display:block;font-size:28px;line-height:1.2;color:#0b5cad}
.counts .warn strong{color:#a04a00}.counts .bad strong{color:#b42318}
label{display:block;font-weight:600;margin:10px 0 4px}
input[type=text],input[type=password],input[type=search],input[type=date],input[type=number],input:not([type]),select,textarea{width:100%;max-width:100%;font:inherit;padding:8px;border:1px solid #8c959f;border-radius:4px;background:#fff;min-height:40px}
textarea{min-height:96px}
button,.button{font:inherit;display:inline-block;padding:8px 16px;min-height:40px;border-radius:4px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer;text-decoration:none}
button.secondary{background:#fff;color:#0b5cad}
button.danger{background:#fff;color:#b42318;border-color:#b42318}
.actions{display:flex;flex-wrap:wrap;gap:8px 16px;margin-top:10px;align-items:center}
.hint{color:#57606a;font-size:14px}
.error{color:#b42318;font-weight:600;border-left:4px solid #b42318;padding:4px 8px;background:#fff1f0;margin:8px 0}
.notice{border-left:4px solid #1a7f37;background:#eefbf0;padding:6px 10px;margin:0 0 12px}
.badge{display:inline-block;font-size:13px;padding:0 8px;border-radius:10px;background:#eaeef2;white-space:nowrap}
.badge.overdue{background:#b42318;color:#fff}.badge.soon{background:#ffe8b3;color:#5c3b00}.badge.urgent{background:#a04a00;color:#fff}
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:0 12px;align-items:end}
.filters .wide{grid-column:1/-1}
.list{list-style:none;margin:0;padding:0}
.list li{background:#fff;border:1px solid #d8dce1;border-radius:6px;padding:10px 12px;margin:0 0 8px}
.list li.overdue{border-left:5px solid #b42318}
.list .title{font-weight:600;overflow-wrap:anywhere}
.meta{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:14px;color:#57606a}
.pager{display:flex;gap:12px;align-items:center;justify-content:center;margin:12px 0}
.reports{display:grid;gap:10px}
@media (min-width:700px){.reports{grid-template-columns:repeat(auto-fit,minmax(280px,1fr))}}
.report{border:1px solid #d8dce1;border-radius:6px;padding:10px}
.content{white-space:pre-wrap;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 12px;margin:0}
dl.facts dt{color:#57606a}dl.facts dd{margin:0;overflow-wrap:anywhere}
ol.timeline{list-style:none;margin:0;padding:0 0 0 14px;border-left:2px solid #d8dce1}
ol.timeline li{margin:0 0 10px;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-20px;top:8px;width:10px;height:10px;border-radius:50%;background:#0b5cad}
ol.timeline time{color:#57606a;font-size:14px;margin-right:8px}
details{margin:8px 0}summary{cursor:pointer;font-weight:600;padding:4px 0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px;border-bottom:1px solid #d8dce1;vertical-align:top}
.table-wrap{overflow-x:auto}
.chart{margin:0 0 8px;overflow-x:auto}.chart.bars svg{min-width:480px}.chart svg{display:block;max-width:100%;height:auto;font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif}
table.figures{font-size:14px}table.figures caption{text-align:left;font-weight:600;padding:4px 0}table.figures th,table.figures td{white-space:nowrap}th.num,td.num{text-align:right}
.narrow{max-width:480px;margin:24px auto}
.leadno{font-family:ui-monospace,monospace;font-size:14px;white-space:nowrap}
`;
