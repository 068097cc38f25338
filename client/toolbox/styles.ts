/**
 * The toolbox's look, in its shadow root only. Constructed stylesheets need no style attribute and
 * no inline <style>, so a page with a strict style-src takes them. `all: initial !important` on the
 * host shuts out the page's own rules and inherited fonts (a shadow root's !important beats the
 * page's); the host is placed where the tab goes and takes the tab's box, while the card is fixed
 * to the window on its own. Logical properties (inline-start/end) turn the layout around by
 * themselves under dir="rtl"; ToolboxPosition stays physical.
 */
const css = `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important}
:host([data-pos^=top]){top:16px!important}
:host([data-pos^=bottom]){bottom:16px!important}
:host([data-pos^=center]){top:0!important;bottom:0!important;height:fit-content!important;margin:auto 0!important}
:host([data-pos$=left]){left:16px!important}
:host([data-pos$=right]){right:16px!important}
:host([data-pos=center-left]){left:0!important}
:host([data-pos=center-right]){right:0!important}
.tb{--ac:#0a58a8;--ink:#1b2330;--mute:#586172;--line:#d5dbe3;--soft:#eef2f7;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink)}
:where(.tb *){box-sizing:border-box;font:inherit;color:inherit;margin:0}
[hidden]{display:none!important}
.card{position:fixed}
.tab{display:flex;align-items:center;gap:8px;padding:10px 16px;border:0;border-radius:10px;background:var(--ac);color:#fff;font-weight:600;cursor:pointer;box-shadow:0 4px 16px #0003}
.tab:hover{background:#084a8e}
.tab svg{width:20px;height:20px;fill:currentColor}
.dot{width:10px;height:10px;border-radius:50%;background:#f7b500}
[data-pos^=top]>.card{top:16px}
[data-pos^=bottom]>.card{bottom:16px}
[data-pos^=center]>.card{top:50%;transform:translateY(-50%)}
[data-pos$=left]>.card{left:16px}
[data-pos$=right]>.card{right:16px}
[data-pos=center-left]>.tab{border-top-left-radius:0;border-bottom-left-radius:0}
[data-pos=center-right]>.tab{border-top-right-radius:0;border-bottom-right-radius:0}
.card{display:flex;flex-direction:column;width:min(370px,calc(100vw - 32px));height:min(580px,calc(100vh - 32px));background:#fff;border-radius:12px;box-shadow:0 10px 40px #0004;overflow:hidden}
.head{display:flex;align-items:center;gap:4px;padding-block:8px;padding-inline:16px 8px;background:var(--ac);color:#fff;touch-action:none}
.title{flex:1;font-weight:600;font-size:16px;padding:6px;margin-inline-start:-6px;border-radius:4px}
.movable .head{cursor:move}
.icon{display:grid;place-items:center;width:36px;height:36px;border:0;border-radius:8px;background:none;cursor:pointer}
.icon svg{width:20px;height:20px;fill:currentColor}
.head .icon:hover{background:#fff3}
.alert{padding:8px 16px;background:#fff4d6;border-block-end:1px solid #e8cf8a}
.alert:empty{display:none}
.page{flex:1;display:flex;flex-direction:column;min-height:0;overflow:auto}
.pad{padding:16px;display:flex;flex-direction:column;gap:12px}
label{display:block;font-weight:600;font-size:13px;margin-block-end:4px}
input,textarea{display:block;width:100%;padding:8px 10px;border:1px solid #8a94a3;border-radius:8px;background:#fff}
textarea{resize:none}
.primary,.secondary{padding:10px 16px;border-radius:8px;border:1px solid var(--ac);font-weight:600;cursor:pointer}
.primary{background:var(--ac);color:#fff}
.primary:disabled{background:#8a94a3;border-color:#8a94a3;cursor:default}
.secondary{background:#fff;color:var(--ac)}
.note,.muted{color:var(--mute)}
.center{align-items:center;text-align:center;justify-content:center;flex:1}
.big{font-size:28px;font-weight:700;color:var(--ac)}
.spin{width:36px;height:36px;border:4px solid var(--soft);border-block-start-color:var(--ac);border-radius:50%;animation:s 1s linear infinite}
@keyframes s{to{rotate:360deg}}
@media (prefers-reduced-motion:reduce){.spin{animation:none}}
.log{flex:1;overflow:auto;padding:12px}
.lines{list-style:none;padding:0;display:flex;flex-direction:column;gap:8px}
.msg{max-width:85%;padding:8px 12px;border-radius:12px;background:var(--soft);align-self:start;overflow-wrap:anywhere;white-space:pre-wrap}
.msg.me{align-self:end;background:var(--ac);color:#fff}
.me a{color:#fff}
.meta{font-size:12px;opacity:.85;display:flex;gap:8px}
.pending{opacity:.6}
.failed{outline:2px solid #b3261e}
.err{color:#b3261e;font-size:13px}
.me .err{color:#fff}
.note{align-self:center;text-align:center;font-size:13px;font-style:italic}
a{color:var(--ac)}
.file{display:inline-block;margin-block-start:4px;font-weight:600}
.typing{padding:0 16px;min-height:20px;font-size:12px;color:var(--mute)}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:8px 12px;border-block-start:1px solid var(--line);font-size:13px}
.bar progress{flex:1 1 100%}
.bar .name{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.compose{display:flex;align-items:end;gap:4px;padding:8px;border-block-start:1px solid var(--line)}
.compose textarea{flex:1;max-height:120px}
.compose .icon{color:var(--ac)}
.compose .icon:hover{background:var(--soft)}
[dir=rtl] .flip{scale:-1 1}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.ask{display:flex;flex-direction:column;gap:12px;padding:16px;border-block-start:1px solid var(--line);background:var(--soft)}
.ask div{display:flex;gap:8px}
:focus-visible{outline:3px solid var(--ac);outline-offset:2px}
.head :focus-visible,.tab:focus-visible{outline-color:#fff;outline-offset:-4px}
@media (max-width:480px){.tb .card{inset:0;width:100vw;height:100%;border-radius:0;transform:none;translate:none!important}}
`;

/** The toolbox's sheet, and an empty one for the card's position (rewritten as it moves). */
export function adoptStyles(root: ShadowRoot): { position: CSSStyleSheet } {
  const main = new CSSStyleSheet();
  main.replaceSync(css);
  const position = new CSSStyleSheet();
  root.adoptedStyleSheets = [main, position];
  return { position };
}

/** The phone layout, where the card fills the screen and stays put. */
export const narrowScreen = '(max-width:480px)';
