/**
 * Styles shared by both elements. Every colour and size is a CSS custom property with a default,
 * so a merchant themes the widget from outside (custom properties inherit into shadow DOM); parts
 * (`::part(card)` etc.) allow anything beyond that.
 */
import { css } from 'lit';

export const themeStyles = css`
  :host {
    --_bg: var(--drishti-bg, #ffffff);
    --_fg: var(--drishti-fg, #1d1d1f);
    --_muted: var(--drishti-muted, #5f6368);
    --_card: var(--drishti-card-bg, #f7f5f2);
    --_accent: var(--drishti-accent, #7a1f3d);
    --_on-accent: var(--drishti-on-accent, #ffffff);
    --_radius: var(--drishti-radius, 10px);
    --_gap: var(--drishti-gap, 12px);
    --_min: var(--drishti-card-min-width, 140px);
    display: block;
    color: var(--_fg);
    font-family: var(--drishti-font, system-ui, 'Noto Sans', 'Noto Sans Devanagari', sans-serif);
    font-size: var(--drishti-font-size, 14px);
    line-height: 1.4;
  }
  :host([theme='dark']) {
    --_bg: var(--drishti-bg, #16161a);
    --_fg: var(--drishti-fg, #f2f2f4);
    --_muted: var(--drishti-muted, #a9a9b3);
    --_card: var(--drishti-card-bg, #24242b);
    --_accent: var(--drishti-accent, #e7a3b9);
    --_on-accent: var(--drishti-on-accent, #16161a);
  }
  :host([hidden]) { display: none; }
  button { font: inherit; cursor: pointer; }
  button:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
  .status { color: var(--_muted); margin: 8px 0; }
  .status.error { color: var(--drishti-error, #b3261e); }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--_min), 1fr));
    gap: var(--_gap);
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .card {
    display: flex;
    flex-direction: column;
    background: var(--_card);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  .select {
    all: unset;
    display: flex;
    flex-direction: column;
    gap: 4px;
    padding-bottom: 4px;
    cursor: pointer;
    color: inherit;
  }
  .select:focus-visible { outline: 2px solid var(--_accent); outline-offset: -2px; }
  .image { width: 100%; aspect-ratio: 3 / 4; object-fit: cover; background: var(--_bg); display: block; }
  .title {
    margin: 0 8px;
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
    overflow: hidden;
    overflow-wrap: anywhere;
  }
  .price { margin: 0 8px; font-weight: 600; }
  .add {
    margin: 4px 8px 8px;
    padding: 6px 8px;
    border: 0;
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .skeleton { aspect-ratio: 3 / 5; background: var(--_card); border-radius: var(--_radius); }
`;
