import type { CostMeter } from "../db/cost-meter";

/**
 * The stub of the Durable Object named `name`, with every RPC call timed and counted in
 * the request's CostMeter (it shows in `Server-Timing`).
 */
export function meteredStub<T extends Rpc.DurableObjectBranded | undefined>(
  namespace: DurableObjectNamespace<T>,
  name: string,
  meter: CostMeter,
): DurableObjectStub<T> {
  const stub = namespace.get(namespace.idFromName(name));
  return new Proxy(stub, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== "function" || property === "then") return value;
      return async (...args: unknown[]) => {
        const deferred = meter.startDurable();
        const started = performance.now();
        try {
          return await Reflect.apply(value as (...a: unknown[]) => Promise<unknown>, target, args);
        } finally {
          if (!deferred) meter.recordDurable(performance.now() - started);
        }
      };
    },
  });
}
