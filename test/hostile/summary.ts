/** Counts the hostile suite reports at the end of its run (see hostile.test.ts). */
export const summary = {
  routesCovered: 0,
  authCases: 0,
  /** Requests of methods a path does not serve, and of paths with trailing slashes. */
  pathCases: 0,
  isolationCases: 0,
  massAssignmentCases: 0,
  fuzzCases: 0,
  /** How the fuzzed requests were answered, by status. */
  fuzzStatuses: {} as Record<number, number>,
  limiterRequests: 0,
  faultsInjected: 0,
  secretsChecked: 0,
  failures: 0,
};

/** Collects problems instead of stopping at the first, so one run reports every broken route. */
export class Problems {
  private readonly list: string[] = [];
  add(problem: string): void {
    this.list.push(problem);
  }
  check(condition: boolean, problem: () => string): void {
    if (!condition) this.list.push(problem());
  }
  get all(): readonly string[] {
    return this.list;
  }
}
