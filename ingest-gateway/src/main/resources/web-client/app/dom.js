// Building the DOM without innerHTML: every string a user or the server wrote becomes a text node, so a message
// body can never become markup (the Content-Security-Policy forbids inline script on top of that).

/**
 * h('button', {class: 'x', onclick: fn, 'aria-label': 'Send'}, 'Send') -> an element.
 * Attributes whose name starts with "on" are listeners; `false`, null and undefined leave an attribute off;
 * children may be strings, nodes, arrays of them, or null (skipped).
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'value') {
      element.value = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `element` with `children`. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A labelled input: the label is visible and names the input for assistive technology. */
let nextFieldId = 0;
export function field(label, attributes = {}) {
  const id = attributes.id ?? `field-${++nextFieldId}`;
  const input = h('input', {...attributes, id});
  return {input, element: h('div', {class: 'field'}, h('label', {for: id}, label), input)};
}

/**
 * A form whose submit runs `action`: the button is disabled while it runs, and a refusal is shown under the fields
 * (as `explain(error)` words it). `fields` are nodes or `field()` results.
 */
export function actionForm(label, fields, submitLabel, action, explain = e => e.message) {
  const error = h('p', {class: 'form-error', role: 'alert'});
  const submit = h('button', {type: 'submit', class: 'primary'}, submitLabel);
  const form = h('form', {'aria-label': label, novalidate: true}, fields.map(f => f.element ?? f), error, submit);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      await action();
    } catch (err) {
      error.textContent = explain(err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit'});
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});

/** A message time: the hour today, the date otherwise. */
export function shortTime(iso) {
  if (!iso) return '';
  const at = new Date(iso);
  return sameDay(at, new Date()) ? timeFormat.format(at) : dateTimeFormat.format(at);
}

export function longTime(iso) {
  return iso ? dateTimeFormat.format(new Date(iso)) : '';
}

function sameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
