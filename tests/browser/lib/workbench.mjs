// Driving the VS Code workbench the way a person does: keyboard shortcuts, the command
// palette, Quick Open, the integrated terminal and the editor.
import { screenshot } from './browser.mjs';
import { waitFor } from './poll.mjs';

const WORKBENCH = '.monaco-workbench';
const DIALOG = '.monaco-dialog-box';
const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;
const TERMINAL = '.terminal-wrapper.active .xterm';
const TERMINAL_INPUT = '.terminal-wrapper.active .xterm-helper-textarea';

/** Answers one modal dialog: trusts the workspace folder, otherwise takes its default. */
async function answerDialog(page, dialog) {
  const trust = dialog.locator('.monaco-button', { hasText: /yes, i trust/i }).first();
  // The automatic handler and an explicit dismiss may race for the same button.
  if (await trust.isVisible().catch(() => false)) await trust.click({ timeout: 2_000 }).catch(() => {});
  else await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
}

/** Clicks away any modal dialog now on screen (workspace trust, welcome); resolves how many. */
export async function dismissDialogs(page) {
  let closed = 0;
  for (let i = 0; i < 5; i++) {
    const dialog = page.locator(DIALOG).first();
    if (!(await dialog.isVisible().catch(() => false))) break;
    await answerDialog(page, dialog);
    closed++;
  }
  return closed;
}

/** Makes playwright answer such dialogs whenever one blocks a locator action or wait. */
export async function answerDialogsAutomatically(page) {
  const dialog = page.locator(DIALOG).first();
  await page.addLocatorHandler(dialog, () => answerDialog(page, dialog), { noWaitAfter: true });
}

/**
 * Opens `url` and waits until the workbench is usable: its frame is rendered, the explorer
 * shows the workspace folder (the remote file system answered over the WebSocket), and the
 * welcome walkthrough of a first visit, which takes the keyboard focus when it opens late,
 * is closed.
 */
export async function openWorkbench(page, url, { timeoutMs = 90_000 } = {}) {
  const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  if (!response || !response.ok()) {
    throw new Error(`GET ${url}: ${response ? response.status() : 'no response'}`);
  }
  if (new URL(page.url()).pathname === '/app/login') {
    throw new Error(`GET ${url} went to the sign-in page (${page.url()}): the browser has no session`);
  }
  await page.locator(WORKBENCH).waitFor({ state: 'visible', timeout: timeoutMs });
  await waitFor('the explorer to list the workspace folder', async () => {
    await dismissDialogs(page);
    return page.locator('.explorer-folders-view .monaco-list').first().isVisible();
  }, { timeoutMs });
  await closeWelcome(page);
}

/** Closes the welcome walkthrough if it opens within a short, bounded time. */
async function closeWelcome(page, { timeoutMs = 8_000 } = {}) {
  const welcome = page.locator('.gettingStartedContainer');
  const shown = await welcome.waitFor({ state: 'visible', timeout: timeoutMs }).then(() => true, () => false);
  if (!shown) return;
  await runCommand(page, 'View: Close All Editors');
  await welcome.waitFor({ state: 'detached', timeout: 15_000 });
}

/**
 * Presses `key` until the quick input (palette, Quick Open) shows; a dialog that pops up in
 * the meantime swallows the key, so it is answered and the key pressed again.
 */
async function openQuickInput(page, key) {
  const input = page.locator(QUICK_INPUT_BOX);
  await waitFor(`${key} to open the quick input`, async () => {
    await dismissDialogs(page);
    if (await input.isVisible()) return true;
    await page.keyboard.press(key);
    return input.waitFor({ state: 'visible', timeout: 2_000 }).then(() => true, () => false);
  }, { timeoutMs: 30_000, intervalMs: 100 });
  return input;
}

/** Chooses the quick input row that shows `text`, once it is listed. */
async function acceptRow(page, text, timeoutMs) {
  await page.locator(QUICK_INPUT_ROWS, { hasText: text }).first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5_000 });
}

/**
 * Opens the quick input with `key`, types `text` and accepts the row showing `rowText`. A
 * dialog that pops up meanwhile closes the quick input, so the whole gesture is retried.
 */
async function pickInQuickInput(page, key, text, rowText, { timeoutMs = 45_000 } = {}) {
  await waitFor(`"${rowText}" to be picked after ${key}`, async () => {
    const input = await openQuickInput(page, key);
    await input.fill(text, { timeout: 5_000 });
    await acceptRow(page, rowText, 15_000);
    return true;
  }, { timeoutMs });
}

/** Runs a command by its palette label (F1, type, Enter on the matching row). */
export async function runCommand(page, label) {
  await pickInQuickInput(page, 'F1', `>${label}`, label);
}

/**
 * Opens a new integrated terminal, waits until its shell runs and gives it keyboard focus.
 * `shellPids` resolves the process ids of the shells running in the workspace: a new one is
 * the only sure sign that the terminal is ready (the workspace-trust prompt comes first,
 * when enabled). Ids, not a count: shells of an earlier page may be ending meanwhile.
 */
export async function openTerminal(page, shellPids) {
  const before = new Set(await shellPids());
  await runCommand(page, 'Terminal: Create New Terminal');
  await waitFor('the new terminal\'s shell to start', async () => {
    await dismissDialogs(page);
    return (await shellPids()).some((pid) => !before.has(pid));
  }, { timeoutMs: 45_000, intervalMs: 500 });
  await page.locator(TERMINAL).waitFor({ state: 'visible', timeout: 30_000 });
  // Keys typed before the first prompt can be lost while the shell sets up its tty; with
  // shell integration (on by default) VS Code marks each prompt with a decoration.
  const prompt = page.locator(`${TERMINAL} .terminal-command-decoration`).first();
  await prompt.waitFor({ state: 'attached', timeout: 15_000 })
    .catch(() => console.log('# terminal: no prompt decoration (shell integration off?)'));
  await focusTerminal(page);
}

/** Does the active terminal have the keyboard focus? */
function terminalHasFocus(page) {
  return page.locator(TERMINAL_INPUT).evaluate((el) => el === document.activeElement)
    .catch(() => false);
}

/**
 * Gives the active terminal keyboard focus, clicking into it as a person would: a
 * workspace-trust prompt (shown when the terminal first asks for a shell) or the welcome
 * page can take the focus away.
 */
export async function focusTerminal(page) {
  await waitFor('the terminal to have keyboard focus', async () => {
    await dismissDialogs(page);
    if (await terminalHasFocus(page)) return true;
    await page.locator(`${TERMINAL} .xterm-screen`).click({ timeout: 5_000 });
    return false;
  }, { timeoutMs: 30_000 });
}

/**
 * Types a command line into the active terminal and presses Enter, then waits until `done`
 * (a probe of its effect) holds. The terminal draws on a canvas, so the effect is the only
 * way to tell the line arrived. If the focus left the terminal while the line was typed, the
 * partial line is cancelled (Ctrl+C) and typed again; a line whose effect does not show within
 * `attemptMs` is typed again up to `attempts` times in all. Both are logged.
 */
export async function runInTerminal(page, line, done, { what, attemptMs = 20_000, attempts = 2 } = {}) {
  for (let attempt = 1, refocused = 0; ;) {
    await focusTerminal(page);
    await page.keyboard.type(line);
    if (!(await terminalHasFocus(page)) && refocused++ < 3) {
      console.log(`# terminal: focus moved while typing, typing again: ${line}`);
      await focusTerminal(page);
      await page.keyboard.press('Control+C');
      continue;
    }
    await page.keyboard.press('Enter');
    try {
      return await waitFor(what || line, done, { timeoutMs: attemptMs });
    } catch (err) {
      if (attempt++ >= attempts) throw err;
      console.log(`# terminal: typing again after no effect in ${attemptMs} ms: ${line}`);
      await screenshot(page, `terminal-no-effect-${attempt - 1}`);
      await focusTerminal(page);
      await page.keyboard.press('Control+C');
    }
  }
}

/** Opens a file by absolute path through Quick Open (Ctrl+P) and waits for its editor. */
export async function quickOpen(page, absolutePath) {
  const name = absolutePath.split('/').pop();
  await pickInQuickInput(page, 'Control+P', absolutePath, name);
  await page.locator('.tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('.editor-instance .monaco-editor textarea').first()
    .waitFor({ state: 'attached', timeout: 15_000 });
}

/**
 * Types text into the active editor and saves it (Ctrl+S); waits until it is not dirty.
 * (In the browser VS Code auto-saves after a delay, so the dirty state may pass unseen.)
 */
export async function typeInEditorAndSave(page, text) {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.type(text);
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
