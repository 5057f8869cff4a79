import { mount } from 'svelte';
import App from './App.svelte';
import { createBrowserApi, takeToken } from './lib/api/browserApi';

// Electron's preload provides window.planner; in browser mode it is the HTTP client.
if (!('planner' in window) || !window.planner) {
  window.planner = createBrowserApi({ token: takeToken() });
}

mount(App, { target: document.getElementById('app')! });
