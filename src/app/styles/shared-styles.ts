/**
 * Styles shared by the shopper pages. Colours meet WCAG AA on white (brand #7a1f3d: 10.6:1; muted
 * text #565656: 7.2:1); every control is at least 44 × 44 px; fonts fall back to a Devanagari face
 * for Hindi (self-hosted Noto Sans Devanagari, then the phone's own).
 */
import { css } from 'lit';

/** Devanagari face first (its unicode-range covers only Devanagari), then the system UI face, then Indic system fonts. */
export const FONT_STACK = css`'Drishti Devanagari', system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Devanagari', 'Nirmala UI', Mangal, 'Kohinoor Devanagari', 'Lohit Devanagari', sans-serif`;

export const sharedStyles = css`
  :host {
    --brand: #7a1f3d;
    --brand-dark: #5a1229;
    --brand-soft: #f8eef1;
    --text: #1d1d1f;
    --muted: #565656;
    --line: #d6d6d6;
    --ok: #1b6e3a;
    --danger: #a4161a;
    --radius: 10px;
    font-family: ${FONT_STACK};
    color: var(--text);
    box-sizing: border-box;
  }
  *, *::before, *::after { box-sizing: inherit; }
  h1 { font-size: 1.4rem; margin: 0.4rem 0 0.6rem; line-height: 1.3; }
  h2 { font-size: 1.15rem; margin: 1rem 0 0.5rem; line-height: 1.3; }
  p { line-height: 1.5; }
  a { color: var(--brand); }
  a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, summary:focus-visible {
    outline: 3px solid #1a5fb4;
    outline-offset: 2px;
  }
  button, .button {
    font: inherit;
    min-height: 44px;
    min-width: 44px;
    padding: 0.5rem 1rem;
    border-radius: var(--radius);
    border: 2px solid var(--brand);
    background: var(--brand);
    color: #fff;
    cursor: pointer;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
    text-decoration: none;
    line-height: 1.2;
  }
  button:hover, .button:hover { background: var(--brand-dark); border-color: var(--brand-dark); }
  button.secondary, .button.secondary { background: #fff; color: var(--brand); }
  button.secondary:hover, .button.secondary:hover { background: var(--brand-soft); }
  button[disabled] { opacity: 0.6; cursor: not-allowed; }
  select, input[type='search'], input[type='number'], input[type='text'] {
    font: inherit;
    min-height: 44px;
    padding: 0.4rem 0.6rem;
    border: 1px solid #767676;
    border-radius: 8px;
    background: #fff;
    color: var(--text);
    max-width: 100%;
  }
  .muted { color: var(--muted); }
  .error { color: var(--danger); background: #fdeceb; border-left: 4px solid var(--danger); padding: 0.6rem 0.8rem; border-radius: 6px; }
  .notice { background: var(--brand-soft); padding: 0.6rem 0.8rem; border-radius: 6px; }
  .visually-hidden {
    position: absolute !important;
    width: 1px; height: 1px; padding: 0; margin: -1px;
    overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
  }
`;
