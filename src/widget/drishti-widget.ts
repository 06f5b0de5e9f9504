/**
 * The widget's entry (the "loader"): defines `<drishti-similar>` and `<drishti-lens>` and nothing
 * else on the page — no globals. Everything heavy (engine worker, catalogue, model) sits behind
 * a dynamic import that runs only when an element is visible or used.
 *
 *   <script type="module" src="https://cdn.example/drishti/drishti-widget.js"></script>
 */
import { DrishtiLens } from './drishti-lens.ts';
import { DrishtiSimilar } from './drishti-similar.ts';

export { DrishtiLens, DrishtiSimilar };
export type { DrishtiLensElement, DrishtiSimilarElement } from './public-api.ts';
export type * from './types.ts';

// A page may include the script twice (two snippets, a tag manager): define each element once.
if (!customElements.get('drishti-similar')) customElements.define('drishti-similar', DrishtiSimilar);
if (!customElements.get('drishti-lens')) customElements.define('drishti-lens', DrishtiLens);
