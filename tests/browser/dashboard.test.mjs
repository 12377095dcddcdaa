// The call monitor (GET /) in headless Chromium against a real `vapidash serve`, with `vapidash simulate` as VAPI
// where the page listens to or controls a call: run through run.mjs.
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, test } from "node:test";
import { Server, Simulation, Vapi, tempDir, until } from "./support.mjs";

const requireDeps = createRequire(path.join(process.env.VAPIDASH_BROWSER_DEPS, "package.json"));
const { chromium } = requireDeps("playwright-core");

const binary = process.env.VAPIDASH_BINARY;
const artifacts = process.env.VAPIDASH_ARTIFACTS;
const GUARD_TOKEN = "guarded-dashboard-token";
let browser;
let server;

before(async () => {
  // A page fulfilled by the test (--page) has no address, so Chromium would count it as public and refuse
  // its sockets to 127.0.0.1.
  const pageFromFile = process.env.VAPIDASH_PAGE ? ["--disable-features=LocalNetworkAccessChecks"] : [];
  browser = await chromium.launch({ executablePath: process.env.VAPIDASH_CHROMIUM, headless: true,
                                    args: ["--headless", "--no-sandbox", "--disable-gpu", ...pageFromFile] });
  const directory = tempDir("vapidash-browser-");
  const tenants = path.join(directory, "tenants.json");
  fs.writeFileSync(tenants, JSON.stringify({ tenants: { guarded: { dashboard_token: GUARD_TOKEN } } }));
  server = new Server(binary, directory, ["--tenants", tenants]);
  await server.listen();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// `vapidash simulate` playing VAPI for one tenant's held call PREFIX-1 while run() drives the page; stopped after.
async function simulating(client, prefix, run) {
  const simulation = new Simulation(binary, server, client, prefix);
  try {
    await simulation.start();
    await simulation.answered(prefix + "-1");
    await run(simulation);
  } finally {
    await simulation.stop();
  }
}

// A page of the dashboard, with the feed's frames recorded and uncaught page errors collected.
async function openPage(target, { viewport = { width: 1280, height: 820 }, colorScheme = "light", on = server } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, locale: "en-GB", timezoneId: "Asia/Kolkata" });
  const page = await context.newPage();
  page.errors = [];
  page.frames = [];
  page.on("pageerror", (error) => page.errors.push(error));
  page.on("websocket", (socket) => {
    if (!socket.url().includes("/ws/dashboard")) return;
    socket.on("framereceived", ({ payload }) => { try { page.frames.push(JSON.parse(payload)); } catch { /* binary */ } });
  });
  if (process.env.VAPIDASH_PAGE) {
    await page.route((url) => url.pathname === "/", (route) =>
      route.fulfill({ contentType: "text/html; charset=utf-8", body: fs.readFileSync(process.env.VAPIDASH_PAGE) }));
  }
  if (target !== null) await page.goto(on.base + target);
  return page;
}

async function closePage(page) {
  assert.deepEqual(page.errors.map(String), [], "the page threw");
  await page.context().close();
}

const rowIds = (page) => page.$$eval("#calls tr", (rows) => rows.map((row) => row.dataset.callId));
const visibleRowIds = (page) => page.$$eval("#calls tr:not([hidden])", (rows) => rows.map((row) => row.dataset.callId));
const cellText = (page, id, cell) => page.$eval(`#calls tr[data-call-id="${id}"] td.${cell}`, (td) => td.textContent);
const waitFor = (page, what, fn, arg) => page.waitForFunction(fn, arg, { timeout: 10000 }).catch((error) => {
  throw new Error("timed out waiting for " + what + ": " + error.message);
});
const waitForRowText = (page, id, cell, text) => waitFor(page, `${id}'s ${cell} to read ${text}`,
  ([id, cell, text]) => document.querySelector(`#calls tr[data-call-id="${id}"] td.${cell}`)?.textContent.includes(text),
  [id, cell, text]);
// The chips' counts are painted on the next animation frame.
const waitForChip = (page, filter, count) => waitFor(page, `the ${filter} chip to count ${count}`,
  ([filter, count]) => document.querySelector(`.chip[data-filter="${filter}"] .count`).textContent === count, [filter, count]);
const waitLive = (page) => waitFor(page, "the connection to be live", () => document.getElementById("conn").dataset.state === "live");
const frameSeen = (page, predicate) => until("a feed frame", () => page.frames.some(predicate));
const shot = (page, name) => page.screenshot({ path: path.join(artifacts, name + ".png") });

test("rows appear newest first and update in place; another tenant's calls never show; times are local", async () => {
  const vapi = new Vapi(server, "rows-tenant");
  const other = new Vapi(server, "rows-other");
  await vapi.status("older", "ended", { phone: "+14155550101", fields: { endedReason: "customer-ended-call" },
                                        call: { startedAt: "2026-01-15T09:30:02Z", endedAt: "2026-01-15T09:31:12Z" } });
  await vapi.status("newer", "in-progress", { phone: "+14155550102" });
  await other.status("foreign-1", "in-progress", { phone: "+19995550000" });
  const page = await openPage("/?client_id=rows-tenant");
  await waitLive(page);
  await waitFor(page, "two rows", () => document.querySelectorAll("#calls tr").length === 2);
  assert.deepEqual(await rowIds(page), ["newer", "older"]);
  // 09:30:02 UTC is 15:00:02 in Kolkata (UTC+5:30): the API's offset-less times are read as UTC.
  assert.match(await cellText(page, "older", "started"), /15:00:02/);
  assert.equal(await cellText(page, "older", "duration"), "1:10");
  await waitForRowText(page, "older", "reason", "customer-ended-call");

  await vapi.status("newest", "ringing", { phone: "+14155550103" });
  await other.status("foreign-2", "ringing", { phone: "+19995550001" });
  await waitFor(page, "the new call on top", () => document.querySelector("#calls tr")?.dataset.callId === "newest");
  await vapi.status("newest", "in-progress");
  await vapi.line("newest", "user", "Hello?");
  await waitForRowText(page, "newest", "status", "in-progress");
  assert.deepEqual(await rowIds(page), ["newest", "newer", "older"]);
  await waitForChip(page, "all", "3");
  await waitForChip(page, "live", "2");
  await waitForChip(page, "ended", "1");
  const first = await cellText(page, "newest", "duration");
  await waitFor(page, "a live call's duration to tick", (before) =>
    document.querySelector('#calls tr[data-call-id="newest"] td.duration').textContent !== before, first);

  await page.click('.chip[data-filter="ended"]');
  assert.deepEqual(await visibleRowIds(page), ["older"]);
  await page.click('.chip[data-filter="all"]');
  await page.fill("#search", "0102");
  assert.deepEqual(await visibleRowIds(page), ["newer"]);
  await page.fill("#search", "");
  assert.ok(page.frames.some((frame) => frame.call?.id === "newest"));
  assert.ok(!(await rowIds(page)).some((id) => id.startsWith("foreign")), "another tenant's call is shown");
  await shot(page, "calls");
  await closePage(page);
});

test("an upsert committed while the first list loads is not lost, and rows are not duplicated", async () => {
  const vapi = new Vapi(server, "load-race");
  await vapi.status("listed", "ringing", { phone: "+14155550201" });
  const page = await openPage(null);
  // Hold the page's first list: read it from the server now, commit two changes, let the page's feed receive
  // them, and only then hand the page the list as it was before them.
  await page.route((url) => url.pathname === "/api/load-race/calls", async (route) => {
    const stale = await route.fetch();
    await vapi.status("during-load", "in-progress", { phone: "+14155550202" });
    await vapi.status("listed", "in-progress");
    await frameSeen(page, (frame) => frame.call?.id === "listed" && frame.call.status === "in-progress");
    await frameSeen(page, (frame) => frame.call?.id === "during-load");
    await route.fulfill({ response: stale });
  }, { times: 1 });
  await page.goto(server.base + "/?client_id=load-race");
  await waitLive(page);
  await waitFor(page, "the call created during the load", () => document.querySelector('#calls tr[data-call-id="during-load"]'));
  await waitForRowText(page, "listed", "status", "in-progress");
  assert.deepEqual(await rowIds(page), ["during-load", "listed"]);
  await closePage(page);
});

test("older calls load past the first page with the before/before_id cursor, without duplicates", async () => {
  const ids = Array.from({ length: 60 }, (_, i) => "page-" + String(i + 1).padStart(2, "0"));
  for (const id of ids) await server.post("/api/debug/create-test-call/paged", { call_id: id, status: "ended" });
  const page = await openPage("/?client_id=paged");
  await waitLive(page);
  await waitFor(page, "the first page", () => document.querySelectorAll("#calls tr").length === 50);
  await waitForChip(page, "all", "50+");
  // A call of the second page changes before that page is loaded: it shows on top, and only once after.
  await server.post("/api/debug/create-test-call/paged", { call_id: "page-05", status: "in-progress" });
  await waitFor(page, "page-05 on top", () => document.querySelector("#calls tr")?.dataset.callId === "page-05");
  await page.locator("#load-more").scrollIntoViewIfNeeded();
  await waitFor(page, "all 60 calls", () => document.querySelectorAll("#calls tr").length === 60);
  const expected = ["page-05", ...ids.slice().reverse().filter((id) => id !== "page-05")];
  assert.deepEqual(await rowIds(page), expected);
  await waitFor(page, "the list to be complete", () => document.getElementById("more").hidden);
  await waitForChip(page, "all", "60");
  await closePage(page);
});

test("a wrong token says so; the right one is kept in session storage, never in the URL", async () => {
  await server.post("/webhooks/vapi/guarded", { message: { type: "status-update", status: "in-progress",
                                                           timestamp: 1768469400000, call: { id: "guarded-1" } } });
  const page = await openPage("/");
  await page.fill("#client", "guarded");
  await page.click("#tenant-form button");
  await waitFor(page, "the missing token to be reported", () => /needs a token/.test(document.getElementById("alert").textContent));
  await page.fill("#token", "not-the-token");
  await page.click("#tenant-form button");
  await waitFor(page, "the wrong token to be reported", () => /token was refused/.test(document.getElementById("alert").textContent));
  assert.equal(await page.$eval("#conn", (conn) => conn.dataset.state), "offline");
  await page.fill("#token", GUARD_TOKEN);
  await page.click("#tenant-form button");
  await waitLive(page);
  await waitFor(page, "the guarded call", () => document.querySelector('#calls tr[data-call-id="guarded-1"]'));
  assert.equal(await page.isHidden("#alert"), true);
  assert.equal(new URL(page.url()).search, "?client_id=guarded");
  assert.equal(await page.evaluate(() => sessionStorage.getItem("vapidash.token.guarded")), GUARD_TOKEN);
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  await page.reload();
  await waitLive(page);
  await waitFor(page, "the guarded call after a reload", () => document.querySelector('#calls tr[data-call-id="guarded-1"]'));
  await closePage(page);
});

test("the side panel, opened from the URL, shows the conversation growing live, then the report; notes save", async () => {
  const vapi = new Vapi(server, "panel-tenant");
  await vapi.status("call-7f3a", "ended", { phone: "+14155550311", fields: { endedReason: "assistant-forwarded-call" } });
  await vapi.status("call-8c21", "ended", { phone: "+14155550312", fields: { endedReason: "customer-ended-call" } });
  await vapi.status("call-9d04", "ringing", { phone: "+14155550313" });
  // VAPI's monitor URLs make the call listenable and controllable in the panel; this test uses neither.
  await vapi.status("conv-1", "in-progress", { phone: "+14155550301", monitor: {
    listenUrl: "wss://vapi.example.test/conv-1/listen", controlUrl: "https://vapi.example.test/conv-1/control" } });
  await vapi.line("conv-1", "assistant", "Thanks for calling, how can I help?");
  const page = await openPage("/?client_id=panel-tenant&call=conv-1");
  await waitFor(page, "the panel", () => document.getElementById("panel-title").textContent === "conv-1");
  await frameSeen(page, (frame) => frame.type === "subscribed" && frame.callId === "conv-1");
  await waitFor(page, "the stored line", () => document.querySelectorAll("#conversation .bubble").length === 1);

  await vapi.line("conv-1", "user", "I need to move my", false);
  await waitFor(page, "the partial line", () => document.querySelector("#conversation .bubble.partial .text")?.textContent === "I need to move my");
  await vapi.line("conv-1", "user", "I need to move my appointment.");
  await waitFor(page, "the final line to replace the partial one", () =>
    !document.querySelector("#conversation .partial") && document.querySelectorAll("#conversation .bubble").length === 2);
  assert.deepEqual(await page.$$eval("#conversation .bubble .text", (lines) => lines.map((line) => line.textContent)),
                   ["Thanks for calling, how can I help?", "I need to move my appointment."]);
  assert.equal(await page.$eval("#conversation .bubble:last-child .who", (who) => who.textContent.split(" ")[0]), "Customer");
  await shot(page, "panel-live");

  await vapi.report("conv-1", { summary: "The caller moved the appointment to Friday.",
                                recordingUrl: "https://storage.example.test/conv-1.wav" });
  await waitFor(page, "the summary", () => document.getElementById("summary").textContent === "The caller moved the appointment to Friday.");
  assert.equal(await page.$eval("#recording", (audio) => audio.getAttribute("src")), "https://storage.example.test/conv-1.wav");
  assert.equal(await page.isHidden("#live-section"), true);
  assert.equal(await page.textContent("#f-duration"), "0:42");
  assert.equal(await page.textContent("#f-cost"), "$0.0731");
  await waitFor(page, "the timeline", () => /end-of-call-report/.test(document.getElementById("timeline").textContent));

  await page.fill("#disposition", "resolved");
  await page.fill("#tags", "vip, billing, vip");
  await page.fill("#notes", "Call back on Friday\nafter 5pm");
  await page.click("#notes-form button");
  await waitFor(page, "the notes to be saved", () => /Saved/.test(document.getElementById("notes-result").textContent));
  const { body } = await server.get("/api/panel-tenant/calls/conv-1");
  assert.equal(body.notes, "Call back on Friday\nafter 5pm");
  assert.equal(body.disposition, "resolved");
  assert.deepEqual(body.tags, ["vip", "billing"]);
  await waitFor(page, "the annotation on the timeline", () => /annotated/.test(document.getElementById("timeline").textContent));
  await shot(page, "panel-ended");
  await closePage(page);
});

test("strings from the API are shown as text, never run as HTML", async () => {
  const vapi = new Vapi(server, "inject");
  const attack = '<img src=x onerror="window.__pwned=1">';
  await vapi.status("xss-1", "in-progress", { phone: attack });
  await vapi.line("xss-1", "user", attack);
  await vapi.line("xss-1", "assistant", "<script>window.__pwned=2</script>");
  await vapi.report("xss-1", { summary: "<b onmouseover=window.__pwned=3>bold</b>", endedReason: "<i>odd</i>" });
  await server.post("/api/debug/log-status-event/inject/xss-1", { status: "<svg onload=window.__pwned=4>" });
  const page = await openPage("/?client_id=inject&call=xss-1");
  await waitFor(page, "the conversation", () => document.querySelectorAll("#conversation .bubble").length === 2);
  await waitFor(page, "the timeline", () => /svg/.test(document.getElementById("timeline").textContent));
  await waitForRowText(page, "xss-1", "reason", "<i>odd</i>");
  assert.equal(await page.$eval("#conversation .bubble .text", (text) => text.textContent), attack);
  assert.equal(await cellText(page, "xss-1", "phone"), attack);
  assert.equal(await page.textContent("#summary"), "<b onmouseover=window.__pwned=3>bold</b>");
  assert.equal(await page.$$eval("body img, body svg, #panel b, #conversation script, #calls i", (found) => found.length), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await closePage(page);
});

// One channel of simulate's tones peaks at 8000/32768; both together, 440 Hz and 1000 Hz, near twice that.
const ONE_TONE = [0.2, 0.3];
const BOTH_TONES = 0.4;

test("listen plays the call's audio through the server's listen proxy, with a channel choice", () =>
  simulating("listen-tenant", "lis", async (simulation) => {
    const page = await openPage("/?client_id=listen-tenant&call=lis-1");
    await page.evaluate(() => { window.level = () => Number(document.getElementById("listen-level").getAttribute("aria-valuenow")); });
    await waitLive(page);
    await waitFor(page, "the listen button", () => !document.getElementById("listen-toggle").disabled);
    await page.click("#listen-toggle");
    await waitFor(page, "both tones in the analyser", (both) => level() > both, BOTH_TONES);
    assert.match(await page.textContent("#listen-state"), /s received/);
    await simulation.event("the server's relay on the listen URL", (event) => event.event === "listener" && event.state === "connected");
    await page.selectOption("#listen-channel", "customer");
    await waitFor(page, "the customer's tone alone", ([low, high]) => level() > low && level() < high, ONE_TONE);
    // Muting the assistant silences its channel only: the channel choice plays the channel it names.
    await page.click("#mute");
    await waitFor(page, "the mute result", () => /Mute sent: VAPI answered 200/.test(document.getElementById("control-result").textContent));
    await page.selectOption("#listen-channel", "assistant");
    await waitFor(page, "silence on the muted assistant's channel", () => level() < 0.001);
    await page.selectOption("#listen-channel", "customer");
    await waitFor(page, "the customer's tone again", ([low, high]) => level() > low && level() < high, ONE_TONE);
    await page.click("#unmute");
    await page.selectOption("#listen-channel", "assistant");
    await waitFor(page, "the assistant's tone after unmuting", ([low, high]) => level() > low && level() < high, ONE_TONE);
    await simulation.event("the unmute", (event) => event.event === "control" && event.body.control === "unmute-assistant");
    assert.deepEqual(simulation.controls("lis-1"), [{ type: "control", control: "mute-assistant" },
                                                    { type: "control", control: "unmute-assistant" }]);
    await shot(page, "listen");
    await page.click("#listen-toggle");
    await waitFor(page, "listening to stop", () => document.getElementById("listen-toggle").getAttribute("aria-pressed") === "false");
    await simulation.event("the relay to leave the listen URL", (event) => event.event === "listener" && event.state === "closed");
    await closePage(page);
    assert.equal(await simulation.stop(), 0, "a webhook of the simulated call was not answered 2xx:\n" + simulation.stderr);
  }));

test("say, end and transfer go through the control endpoint after a confirmation; the call ends as transferred", () =>
  simulating("control-tenant", "ctl", async (simulation) => {
    const page = await openPage("/?client_id=control-tenant");
    await waitLive(page);
    await page.click('#calls tr[data-call-id="ctl-1"]');
    await waitFor(page, "the controls", () => !document.querySelector("#say-form button").disabled);

    await page.fill("#say-text", "One moment please");
    await page.click("#say-form button");
    await page.click("#confirm-ok");
    await waitFor(page, "the say result", () => /Say sent: VAPI answered 200/.test(document.getElementById("control-result").textContent));
    await waitFor(page, "the line said on request in the conversation", () =>
      [...document.querySelectorAll("#conversation .bubble.assistant:not(.partial) .text")].some((text) => text.textContent === "One moment please"));
    await page.click("#end-call");
    await page.click('#confirm button[value="cancel"]');
    await page.fill("#transfer-number", "+1 555 123 0000");
    await page.fill("#transfer-message", "Transferring you now");
    await page.click("#transfer-form button");
    assert.match(await page.textContent("#confirm-text"), /Transfer call ctl-1 to \+15551230000\?/);
    await page.click("#confirm-ok");
    await waitFor(page, "the transfer result", () => /Transfer sent/.test(document.getElementById("control-result").textContent));
    await simulation.event("the call to end as forwarded", (event) =>
      event.event === "call-ended" && event.call_id === "ctl-1" && event.ended_reason === "assistant-forwarded-call");
    await waitForRowText(page, "ctl-1", "status", "transferred");
    await waitForRowText(page, "ctl-1", "reason", "assistant-forwarded-call");
    await waitFor(page, "the panel's ended reason", () => document.getElementById("f-reason").textContent === "assistant-forwarded-call");
    await waitForChip(page, "transferred", "1");
    await waitFor(page, "the audit trail", () => /control:transfer/.test(document.getElementById("timeline").textContent));
    // Its only call has ended: simulate finishes by itself, every webhook answered.
    await simulation.event("simulate to finish", (event) => event.event === "done");
    assert.equal(await simulation.exited, 0, simulation.stderr);
    assert.deepEqual(simulation.controls("ctl-1"), [
      { type: "say", content: "One moment please" },
      { type: "transfer", destination: { type: "number", number: "+15551230000" }, content: "Transferring you now" },
    ]);
    const { body } = await server.get("/api/control-tenant/calls/ctl-1");
    assert.equal(body.status, "ended");
    assert.equal(body.ended_reason, "assistant-forwarded-call");
    await closePage(page);
  }));

test("after a server restart the page reconnects and shows the calls created while it was away", async () => {
  const directory = tempDir("vapidash-restart-");
  const restarted = new Server(binary, directory);
  await restarted.listen();
  try {
    await new Vapi(restarted, "restart-tenant").status("before-restart", "in-progress", { phone: "+14155550601" });
    const page = await openPage("/?client_id=restart-tenant", { on: restarted });
    await waitLive(page);
    await waitFor(page, "the first call", () => document.querySelector('#calls tr[data-call-id="before-restart"]'));
    await restarted.stop();
    await waitFor(page, "the lost connection to show", () => ["reconnecting", "offline"].includes(document.getElementById("conn").dataset.state));
    // Created while the page cannot see the server: the same database, served on another port for a moment.
    const meanwhile = new Server(binary, directory);
    await meanwhile.listen();
    await new Vapi(meanwhile, "restart-tenant").status("while-away", "ringing", { phone: "+14155550602" });
    await meanwhile.stop();
    await restarted.listen(restarted.port);
    await waitLive(page);
    await waitFor(page, "the call created while away", () => document.querySelector('#calls tr[data-call-id="while-away"]'));
    assert.deepEqual(await rowIds(page), ["while-away", "before-restart"]);
    await new Vapi(restarted, "restart-tenant").status("while-away", "in-progress");
    await waitForRowText(page, "while-away", "status", "in-progress");
    await closePage(page);
  } finally {
    await restarted.stop();
  }
});

test("at 400 px the table becomes cards; keyboard navigation; a dark theme follows the system", async () => {
  const vapi = new Vapi(server, "narrow");
  await vapi.status("card-1", "ended", { phone: "+14155550701", fields: { endedReason: "assistant-forwarded-call" } });
  await vapi.status("card-2", "ringing", { phone: "+14155550702" });
  await vapi.status("card-3", "in-progress", { phone: "+14155550703" });
  const page = await openPage("/?client_id=narrow", { viewport: { width: 400, height: 820 } });
  await waitLive(page);
  await waitFor(page, "three cards", () => document.querySelectorAll("#calls tr").length === 3);
  assert.equal(await page.$eval("#calls tr", (row) => getComputedStyle(row).display), "grid");
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 400), "the page scrolls sideways at 400 px");
  await page.focus('#calls tr[tabindex="0"]');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.callId), "card-3");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.callId), "card-2");
  await shot(page, "narrow-cards");
  await page.keyboard.press("Enter");
  await waitFor(page, "the panel in place of the list", () => document.getElementById("panel-title").textContent === "card-2");
  assert.equal(await page.isHidden("#list"), true);
  assert.ok((await page.locator("#panel").boundingBox()).width >= 370, "the panel does not fill the width");
  assert.ok(await page.isVisible("#conn"), "the connection state is out of view");
  assert.match(new URL(page.url()).search, /call=card-2/);
  await shot(page, "narrow-panel");
  await page.keyboard.press("Escape");
  await waitFor(page, "the panel to close", () => document.getElementById("panel").hidden);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.callId), "card-2");
  await closePage(page);

  const dark = await openPage("/?client_id=narrow", { colorScheme: "dark" });
  await waitLive(dark);
  await waitFor(dark, "three rows", () => document.querySelectorAll("#calls tr").length === 3);
  assert.equal(await dark.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(18, 21, 27)");
  await dark.click('#calls tr[data-call-id="card-3"]');
  await shot(dark, "dark");
  await closePage(dark);
});
