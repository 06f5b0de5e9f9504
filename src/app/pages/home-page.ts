import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';

@customElement('drishti-home-page')
export class HomePage extends LitElement {
  override render() {
    return html`<h1>Drishti</h1>
      <p>On-device fashion AI. <a href="/engine">Engine panel</a></p>`;
  }
}
