// console.js is the browser's script, bundled as text (wrangler.toml `[[rules]]` of type Text).
declare const text: string;
export default text;
