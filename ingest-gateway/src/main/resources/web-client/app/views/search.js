import {h, longTime, replace, shortTime} from '../dom.js';
import {highlightParts} from '../highlight.js';

// Message search, in the sidebar: a search box over my conversations (GET /v1/search/messages), its results newest
// first (sender, conversation, the snippet with the match emphasised, time), more of them on demand, and a click
// that opens the conversation at the message. Encrypted conversations are not searched (the server cannot read
// them): the box says so. While results are shown, they take the conversation list's place; Clear brings it back.

const SEARCH_DELAY_MS = 400;
const MIN_QUERY = 2;

export class MessageSearch {
  constructor(app, {onOpenAt, onToggle}) {
    this.app = app;
    this.onOpenAt = onOpenAt;
    this.onToggle = onToggle; // (shown) -> the sidebar hides or shows its list
    this.query = '';
    this.results = [];
    this.next = undefined;
    this.input = h('input', {type: 'search', id: 'message-search', autocomplete: 'off',
      'aria-describedby': 'message-search-hint'});
    const form = h('form', {class: 'message-search', role: 'search', 'aria-label': 'Search messages'},
        h('label', {for: 'message-search'}, 'Search messages'),
        h('div', {class: 'search-row'}, this.input, h('button', {type: 'submit'}, 'Search')),
        h('p', {class: 'hint', id: 'message-search-hint'},
            'Encrypted conversations are not searched: only their members’ devices can read them.'));
    this.status = h('p', {class: 'search-status', role: 'status'});
    this.list = h('ol', {class: 'search-results', 'aria-label': 'Messages found'});
    this.more = h('button', {type: 'button', class: 'link', hidden: true, onclick: () => this.search(true)}, 'More results');
    this.panel = h('section', {class: 'search-panel', 'aria-label': 'Search results', hidden: true},
        h('div', {class: 'search-head'}, this.status,
            h('button', {type: 'button', class: 'link', onclick: () => this.clear()}, 'Clear search')),
        this.list, this.more);
    this.element = h('div', {class: 'search'}, form, this.panel);

    form.addEventListener('submit', e => {
      e.preventDefault();
      clearTimeout(this.timer);
      this.start(this.input.value.trim());
    });
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      const query = this.input.value.trim();
      if (!query) this.clear(false);
      else if (query.length >= MIN_QUERY) this.timer = setTimeout(() => this.start(query), SEARCH_DELAY_MS);
    });
    this.input.addEventListener('keydown', e => {
      if (e.key === 'Escape' && this.shown) this.clear();
    });
  }

  get shown() {
    return !this.panel.hidden;
  }

  start(query) {
    if (!query) return;
    this.query = query;
    this.results = [];
    this.next = undefined;
    this.search(false);
  }

  /** The first page of `this.query`, or with `more` the page after the last one shown. */
  async search(more) {
    const query = this.query;
    const generation = this.generation = (this.generation ?? 0) + 1;
    this.show(true);
    this.status.textContent = more ? 'Loading more…' : 'Searching…';
    this.more.disabled = true;
    try {
      const page = await this.app.searchMessages(query, more ? this.next : undefined);
      if (generation !== this.generation) return; // another search started since
      this.results = more ? [...this.results, ...page.results] : page.results;
      this.next = page.next ?? undefined;
      this.render();
    } catch (e) {
      if (generation !== this.generation) return;
      this.status.textContent = e.code === 'unavailable' ? 'Search is not available on this server.'
          : `The search failed: ${e.message}`;
    } finally {
      this.more.disabled = false;
    }
  }

  render() {
    if (!this.shown) return;
    const count = this.results.length;
    this.status.textContent = count === 0 ? `No messages found for “${this.query}”.`
        : `${count}${this.next ? '+' : ''} ${count === 1 ? 'message' : 'messages'} found for “${this.query}”`;
    replace(this.list, this.results.map(result => h('li', {}, this.item(result))));
    this.more.hidden = !this.next;
  }

  item({message, highlight}) {
    const {store} = this.app;
    const conversation = store.conversations.get(message.conversationId);
    const title = conversation ? store.title(conversation) : 'A conversation';
    const snippet = typeof highlight === 'string' && highlight ? highlight : message.body ?? '';
    return h('button', {type: 'button', class: 'search-result', 'data-conversation-id': message.conversationId,
      'data-seq': message.seq, onclick: () => this.onOpenAt(message.conversationId, message.seq)},
    h('span', {class: 'row'},
        h('span', {class: 'sender'}, store.name(message.senderId)),
        h('span', {class: 'in'}, `in ${title}`),
        h('time', {datetime: message.ts, title: longTime(message.ts)}, shortTime(message.ts))),
    h('span', {class: 'highlight'}, highlightParts(snippet, this.query).map(part =>
      (part.match ? h('mark', {}, part.text) : part.text))));
  }

  /** Back to the conversation list; `emptyBox` also empties the search box. */
  clear(emptyBox = true) {
    clearTimeout(this.timer);
    this.generation = (this.generation ?? 0) + 1;
    if (emptyBox) this.input.value = '';
    this.query = '';
    this.results = [];
    this.next = undefined;
    this.list.replaceChildren();
    this.show(false);
  }

  show(shown) {
    if (this.panel.hidden === !shown) return;
    this.panel.hidden = !shown;
    this.element.classList.toggle('searching', shown);
    this.onToggle(shown);
  }
}
