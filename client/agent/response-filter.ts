import type { ResponseItem } from './agent-api-client';

/**
 * The part of a response tree that matches a search: a response whose name or text contains every
 * word, or a folder whose name does (with all it holds), or that holds a match. An empty search
 * keeps the whole tree.
 */
export function filterResponses(items: readonly ResponseItem[], query: string): ResponseItem[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  const matches = (text: string) => {
    const lower = text.toLocaleLowerCase();
    return words.every((word) => lower.includes(word));
  };
  const visit = (nodes: readonly ResponseItem[]): ResponseItem[] =>
    nodes.flatMap((node): ResponseItem[] => {
      if (node.Children !== undefined) {
        if (matches(node.Name)) return [node];
        const children = visit(node.Children);
        return children.length === 0 ? [] : [{ ...node, Children: children }];
      }
      return matches(`${node.Name} ${node.Text ?? ''}`) ? [node] : [];
    });
  return visit(items);
}
