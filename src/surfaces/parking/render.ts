import type { TagOutcome } from "../../core/cards/vehicle-tags";

/** Seed 002's per-tag answers: `{tag, status}` for creations, `{tag, cancell}` for cancellations (the seed's spelling). */
export const renderCreated = (tags: TagOutcome[]) => tags.map((t) => ({ tag: t.tag, status: t.done }));
export const renderCancelled = (tags: TagOutcome[]) => tags.map((t) => ({ tag: t.tag, cancell: t.done }));
