/** The webhook receiver (receiver.js): a module worker's fetch handler, also served from Node by the browser test. */
declare const receiver: { fetch(request: Request): Promise<Response> };
export default receiver;
