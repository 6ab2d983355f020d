// The console's static files, bundled as text modules (wrangler.toml `[[rules]]` of type Text).
declare module "*.css" {
  const text: string;
  export default text;
}
declare module "uplot/dist/uPlot.iife.min.js" {
  const text: string;
  export default text;
}
