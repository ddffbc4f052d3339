// A search result's snippet split into plain and matching parts, for the view to emphasise the matches with
// elements (never as markup: the snippet is text someone wrote). The server wraps each match in « and » (docs/api.md,
// "Search": it shows a body's own guillemets as ‹ ›, so every « » is a marker). Where it marked none (or a marker
// lacks its end), the query's words are found in the snippet here, ignoring case and accents, as the search does.

export const MARK_START = '«';
export const MARK_END = '»';

/** [{text, match}] covering `snippet` in order; empty texts are left out. */
export function highlightParts(snippet, query, start = MARK_START, end = MARK_END) {
  const marked = byMarkers(snippet, start, end);
  return marked ?? byWords(snippet, query);
}

/** The parts between the server's markers, or null when the snippet has none (or they do not pair up). */
function byMarkers(snippet, start, end) {
  if (!snippet.includes(start)) return null;
  const parts = [];
  let at = 0;
  while (at < snippet.length) {
    const open = snippet.indexOf(start, at);
    if (open < 0) {
      parts.push({text: snippet.slice(at), match: false});
      break;
    }
    const close = snippet.indexOf(end, open + start.length);
    if (close < 0) return null;
    parts.push({text: snippet.slice(at, open), match: false});
    parts.push({text: snippet.slice(open + start.length, close), match: true});
    at = close + end.length;
  }
  return parts.filter(p => p.text);
}

/** The query's words wherever they occur in the snippet, case and accents aside (so "cafe" finds "Café"). */
function byWords(snippet, query) {
  const chars = [...snippet];
  // each character folded, and where each folded character came from
  const folded = [];
  const origin = [];
  chars.forEach((ch, i) => {
    for (const f of fold(ch)) {
      folded.push(f);
      origin.push(i);
    }
  });
  const text = folded.join('');
  const marked = new Array(chars.length).fill(false);
  const words = (query ?? '').split(/\s+/).map(w => fold(w).replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);
  for (const word of words) {
    for (let found = text.indexOf(word); found >= 0; found = text.indexOf(word, found + 1)) {
      const wordChars = [...word].length;
      const first = [...text.slice(0, found)].length;
      for (let k = first; k < first + wordChars; k++) marked[origin[k]] = true;
    }
  }
  const parts = [];
  chars.forEach((ch, i) => {
    const last = parts.at(-1);
    if (last && last.match === marked[i]) last.text += ch;
    else parts.push({text: ch, match: marked[i]});
  });
  return parts;
}

function fold(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
