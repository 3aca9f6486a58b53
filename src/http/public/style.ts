// The public pages' own stylesheet, served as /public/style.css (no other host, no script).
export const PUBLIC_CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.7 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1d1d1f;background:#f6f6f4}
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.5rem}
h1{font-size:1.4rem;margin:0 0 .5rem;color:#8b1a1a}
h2{font-size:1.05rem;margin:0 0 .4rem}
p.lead{margin:0 0 1rem;color:#444}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:0 0 1rem;padding:.75rem;background:#fff;border:1px solid #ddd;border-radius:6px}
label{display:flex;flex-direction:column;font-size:.85rem;color:#555;flex:1 1 8rem}
select,button{font:inherit;padding:.35rem .5rem;border:1px solid #999;border-radius:4px;background:#fff;min-height:2.5rem}
button{background:#8b1a1a;color:#fff;border-color:#8b1a1a;flex:0 0 auto;cursor:pointer}
article{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.9rem 1rem;margin:0 0 .9rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.1rem .75rem;margin:0 0 .5rem;font-size:.9rem}
dt{color:#666}dd{margin:0}
.summary{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.call{background:#fff;border:2px solid #8b1a1a;border-radius:6px;padding:.8rem 1rem;margin:0 0 1rem}
.period{margin:.4rem 0 0;font-size:.9rem;color:#555}
.notice{padding:.6rem .8rem;background:#fff4e5;border:1px solid #e0a35b;border-radius:6px}
nav.pages{display:flex;justify-content:space-between;margin:1rem 0}
a{color:#1f5fa8}
footer{font-size:.85rem;color:#666;padding-bottom:2rem}
`;
