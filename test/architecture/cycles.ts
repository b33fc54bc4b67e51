/**
 * Cycles of a directed graph, one per strongly connected component (Tarjan's algorithm): each is the
 * shortest cycle through the component's first node (by name), so the same graph always prints the
 * same cycle. Self-loops are ignored (a package importing itself by name is not a dependency).
 */

/** One cycle per strongly connected component of more than one node: `[a, b, c]` means a -> b -> c -> a. */
export function findCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((targets) => [...targets])])].sort();
  const next = (node: string): string[] => [...(edges.get(node) ?? [])].filter((target) => target !== node).sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of next(node)) {
      if (!index.has(target)) {
        connect(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) connect(node);
  return components.sort((a, b) => a[0]!.localeCompare(b[0]!)).map((component) => shortestCycle(component, next));
}

/** The shortest path from the component's first node back to itself, inside the component (breadth first). */
function shortestCycle(component: readonly string[], next: (node: string) => string[]): string[] {
  const members = new Set(component);
  const start = component[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of next(node)) {
      if (!members.has(target)) continue;
      if (target === start) {
        const cycle = [node];
        for (let at = node; at !== start; at = cameFrom.get(at)!) cycle.unshift(cameFrom.get(at)!);
        return cycle;
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return [...component];
}
