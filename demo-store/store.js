// The demo merchant's own script (no inline script anywhere, so it runs under the strict CSP too).
// It shows the widget's JS API and events: the product on the page comes from ?id=, a selected
// product navigates, "Add to cart" updates the store's own cart.
const params = new URLSearchParams(location.search);
const similar = document.querySelector('drishti-similar');
const lens = document.querySelector('drishti-lens');
const log = document.getElementById('events');
const cartCount = document.getElementById('cart-count');
let cart = 0;

const productId = params.get('id');
if (productId) {
  document.getElementById('product-name').textContent = `Product ${productId}`;
  if (similar) similar.productId = productId;
}
if (params.get('lang') === 'hi') for (const el of [similar, lens]) if (el) el.lang = 'hi';

function record(kind, detail) {
  const li = document.createElement('li');
  li.dataset.kind = kind;
  li.dataset.productId = detail.productId;
  li.textContent = `${kind}: ${detail.productId} — ${detail.product.title}`;
  log.append(li);
}

document.addEventListener('drishti-select', (event) => {
  record('select', event.detail);
  if (params.get('navigate') === 'on') {
    const next = new URL(location.href);
    next.searchParams.set('id', event.detail.productId);
    location.assign(next);
  }
});
document.addEventListener('drishti-add-to-cart', (event) => {
  record('add-to-cart', event.detail);
  cart += 1;
  cartCount.textContent = String(cart);
});
document.addEventListener('drishti-error', (event) => {
  const li = document.createElement('li');
  li.dataset.kind = 'error';
  li.textContent = `error (${event.detail.code}): ${event.detail.message}`;
  log.append(li);
});
// Reported by the browser for any CSP or Trusted Types violation on the page (strict.html must have none).
document.addEventListener('securitypolicyviolation', (event) => {
  const li = document.createElement('li');
  li.dataset.kind = 'csp-violation';
  li.textContent = `CSP violation: ${event.violatedDirective} ${event.blockedURI}`;
  log.append(li);
});
