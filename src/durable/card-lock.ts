import { DurableObject } from "cloudflare:workers";

/**
 * One object per tenant + card UID: serialises register/replace of that card
 * (behaviour arrives with the kiosk surface).
 */
export class CardLock extends DurableObject<Env> {}
