// Code is highlighted at build time by syntect (`cargo xtask build`); this stub replaces
// mdBook's highlight.js so pages do not download and run it for nothing.
window.hljs = { configure() {}, highlightBlock() {}, highlightElement() {} };
