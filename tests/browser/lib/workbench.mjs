// Driving the VS Code workbench the way a person does: keyboard shortcuts, the command
// palette, Quick Open, the integrated terminal and the editor.
import { waitFor } from './poll.mjs';

const WORKBENCH = '.monaco-workbench';
const DIALOG = '.monaco-dialog-box';
const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;
const TERMINAL = '.terminal-wrapper.active .xterm';
const TERMINAL_INPUT = '.terminal-wrapper.active .xterm-helper-textarea';

/** Clicks away any modal dialog (workspace trust, welcome); resolves how many it closed. */
export async function dismissDialogs(page) {
  let closed = 0;
  for (let i = 0; i < 5; i++) {
    const dialog = page.locator(DIALOG).first();
    if (!(await dialog.isVisible().catch(() => false))) break;
    const trust = dialog.locator('.monaco-button', { hasText: /trust|yes|continue|ok/i }).first();
    if (await trust.isVisible().catch(() => false)) await trust.click();
    else await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
    closed++;
  }
  return closed;
}

/**
 * Opens `url` and waits until the workbench is usable: its frame is rendered and the
 * explorer shows the workspace folder (the remote file system answered over the WebSocket).
 */
export async function openWorkbench(page, url, { timeoutMs = 90_000 } = {}) {
  const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  if (!response || !response.ok()) {
    throw new Error(`GET ${url}: ${response ? response.status() : 'no response'}`);
  }
  await page.locator(WORKBENCH).waitFor({ state: 'visible', timeout: timeoutMs });
  await waitFor('the explorer to list the workspace folder', async () => {
    await dismissDialogs(page);
    return page.locator('.explorer-folders-view .monaco-list').first().isVisible();
  }, { timeoutMs });
}

/** Runs a command by its palette label (F1, type, Enter on the matching row). */
export async function runCommand(page, label) {
  await dismissDialogs(page);
  await page.keyboard.press('F1');
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${label}`);
  await page.locator(QUICK_INPUT_ROWS, { hasText: label }).first()
    .waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 15_000 });
}

/** Opens a new integrated terminal and waits until it has keyboard focus. */
export async function openTerminal(page) {
  await runCommand(page, 'Terminal: Create New Terminal');
  await page.locator(TERMINAL).waitFor({ state: 'visible', timeout: 30_000 });
  await waitFor('the terminal to take keyboard focus', () =>
    page.locator(TERMINAL_INPUT).evaluate((el) => el === document.activeElement));
}

/** Types a command line into the active terminal and presses Enter. */
export async function typeInTerminal(page, line) {
  await dismissDialogs(page);
  await page.locator(TERMINAL_INPUT).focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Opens a file by absolute path through Quick Open (Ctrl+P) and waits for its editor. */
export async function quickOpen(page, absolutePath) {
  await dismissDialogs(page);
  const name = absolutePath.split('/').pop();
  await page.keyboard.press('Control+P');
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(absolutePath);
  await page.locator(QUICK_INPUT_ROWS, { hasText: name }).first()
    .waitFor({ state: 'visible', timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('.editor-instance .monaco-editor textarea').first()
    .waitFor({ state: 'attached', timeout: 15_000 });
}

/** Types text into the active editor and saves it (Ctrl+S); waits until it is not dirty. */
export async function typeInEditorAndSave(page, text) {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.type(text);
  await page.locator('.tab.active.dirty').waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Control+S');
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 30_000 });
}

/** Opens the Extensions view (Ctrl+Shift+X); resolves its search box locator once visible. */
export async function openExtensionsView(page) {
  await dismissDialogs(page);
  await page.keyboard.press('Control+Shift+X');
  const view = page.locator('.extensions-viewlet');
  await view.waitFor({ state: 'visible', timeout: 30_000 });
  const search = view.locator('.extensions-search-container .monaco-editor').first();
  await search.waitFor({ state: 'visible', timeout: 30_000 });
  return search;
}
