// One demand walked end to end through the web pages, in headless Chromium:
//
//   1. the enterprise user switches the interface to Japanese and submits a
//      demand written in Japanese (category: tax and refunds);
//   2. the coordinator finds it in the intake queue, accepts it and assigns
//      it to the Taxation Bureau;
//   3. the Taxation Bureau's officer (demo login officer-tax) signs for it and
//      replies (resolved);
//   4. the enterprise user, in a fresh browser whose own language is English,
//      gets the Japanese interface back from the saved preference, rates the
//      reply "satisfied" and sees the demand closed and rated;
//   5. the road map: the Taxation Bureau's officer reports progress on one of
//      the bureau's tasks from its task list; the coordinator sees it in the
//      plan, prints the task book, opens the Gantt view and edits the task;
//      the enterprise has no way in.
//
// Each role has its own browser context. Usage: node walk.mjs BASE_URL
// (tests/browser/run starts a server on a fresh demo database and calls it).

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const base = (process.argv[2] || "").replace(/\/$/, "");
if (!base) {
  console.error("usage: node walk.mjs BASE_URL");
  process.exit(2);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const screenshot = resolve(root, "target/browser/final.png");
const PASSWORD = "liaison-demo";

// What the enterprise writes (Japanese), and what the officer answers.
const TITLE = "輸出還付金の入金が遅れています";
const BODY =
  "当社は第3四半期の輸出還付を申請してから二か月が経ちましたが、まだ入金されていません。" +
  "資金繰りに影響が出ているため、処理状況と早めに受け取る方法を教えてください。";
const REPLY =
  "税務局で確認したところ、還付の審査は完了しました。今週中に指定口座へ入金される予定です。";

// The demo data (src/demo): the enterprise account belongs to the first demo
// enterprise; the tax category's lead department is the Taxation Bureau,
// whose officer is officer-tax.
const ENTERPRISE_JA = "大連星浦ファインセラミックス有限公司";
const ENTERPRISE_ZH = "大连星浦精细陶瓷有限公司";
const CATEGORY_JA = "税務・還付";
const CATEGORY_ZH = "税费与退税";
const TAX_BUREAU_ZH = "大连市税务局";
const TAX_BUREAU_JA = "大連市税務局";

const started = Date.now();
let step = "starting";
function log(message) {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[${s}s] ${message}`);
}
function section(name) {
  step = name;
  log(`— ${name}`);
}
function ok(message) {
  log(`  ok: ${message}`);
}

const watchdog = setTimeout(() => {
  console.error(`walk: timed out after 5 minutes during: ${step}`);
  process.exit(1);
}, 5 * 60 * 1000);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
log(`chromium ${browser.version()} against ${base}`);

/** A fresh context for one role, with a record of every page loaded. */
async function session(role, locale) {
  const context = await browser.newContext({
    locale,
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const problems = [];
  page.lastStatus = 0;
  page.on("response", (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) {
      page.lastStatus = r.status();
      if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`);
    } else if (r.status() >= 400 && new URL(r.url()).pathname !== "/favicon.ico") {
      // A missing stylesheet or script; the server has no favicon, which
      // browsers ask for on their own.
      problems.push(`${r.status()} ${r.url()}`);
    }
  });
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  page.on("console", (m) => {
    // Failed loads are counted from the responses above.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  page.role = role;
  page.problems = problems;
  return { context, page };
}

/** Clicks something that loads a new document, and waits for it. */
async function clickAndLoad(page, locator) {
  const loaded = page.waitForEvent("load");
  await locator.click();
  await loaded;
}

/** After a form was sent: the page came back without an error. */
async function assertAccepted(page, what) {
  const alerts = await page.locator('[role="alert"], p.error').allInnerTexts();
  assert.deepEqual(alerts, [], `${what}: the page shows errors`);
  assert.ok(page.lastStatus < 400, `${what}: the page answered ${page.lastStatus}`);
}

async function h1(page) {
  return (await page.locator("main h1").innerText()).trim();
}

/** The value beside a label in the demand's facts (the <dl class="facts">). */
async function fact(page, label) {
  const dt = page.locator("dl.facts dt", { hasText: exactly(label) });
  assert.equal(await dt.count(), 1, `the page shows "${label}"`);
  return (await dt.locator("xpath=following-sibling::dd[1]").innerText()).trim();
}

/** A pattern matching exactly this text (surrounding space aside). */
function exactly(text) {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
}

/** A step's form on the demand page, found by its hidden action field. */
function stepForm(page, action) {
  return page.locator("form.step").filter({
    has: page.locator(`input[name="action"][value="${action}"]`),
  });
}

async function signIn(page, username, expectName) {
  await page.goto(`${base}/login`);
  await page.locator('form[action="/login"] input[name="username"]').fill(username);
  await page.locator('form[action="/login"] input[name="password"]').fill(PASSWORD);
  await clickAndLoad(page, page.locator('form[action="/login"] button[type="submit"]'));
  await assertAccepted(page, `sign-in as ${username}`);
  assert.ok(!new URL(page.url()).pathname.startsWith("/login"), `${username} is still on the sign-in page`);
  const who = (await page.locator("header .who").innerText()).trim();
  assert.ok(who.startsWith(expectName), `signed in as ${username}: the header says "${who}"`);
  ok(`signed in as ${username} (${who})`);
}

/** Opens the demand list's view tab with that label and returns the row of our demand. */
async function openView(page, nav, tab) {
  await clickAndLoad(page, page.locator("header nav a", { hasText: exactly(nav) }));
  assert.equal(new URL(page.url()).pathname, "/demands");
  await clickAndLoad(page, page.locator("nav.tabs a", { hasText: exactly(tab) }));
  assert.equal(
    await page.locator("nav.tabs a[aria-current=page]").innerText(),
    tab,
    `the "${tab}" view is the current one`,
  );
  return page.locator("table tbody tr").filter({ has: page.locator(`a[href="/demands/${demandId}"]`) });
}

/** A table row's cells, trimmed. */
async function cells(row) {
  return (await row.locator("td").allInnerTexts()).map((t) => t.trim());
}

let demandId = 0;
let exitCode = 0;
try {
  // ------------------------------------------------------------------
  section("1. the enterprise switches to Japanese and submits a demand");
  {
    const { context, page } = await session("enterprise", "en-US");
    await page.goto(`${base}/login`);
    assert.equal(await page.locator("html").getAttribute("lang"), "en", "the sign-in page follows the browser (English)");
    await signIn(page, "enterprise", "佐藤 健");
    assert.equal(await page.locator("html").getAttribute("lang"), "en");

    await clickAndLoad(page, page.locator('form.lang button[name="lang"][value="ja"]'));
    assert.equal(await page.locator("html").getAttribute("lang"), "ja", "the interface is now Japanese");
    assert.equal(
      await page.locator('form.lang button[value="ja"]').getAttribute("aria-pressed"),
      "true",
      "日本語 is marked as the current language",
    );
    assert.equal((await page.locator("form.lang .lang-label").innerText()).trim(), "言語");
    assert.equal(await page.locator("header nav a", { hasText: exactly("要望") }).count(), 1, "the menu is in Japanese");
    ok("interface switched to Japanese");

    await clickAndLoad(page, page.locator("header nav a", { hasText: exactly("要望") }));
    assert.equal(await h1(page), "要望");
    await clickAndLoad(page, page.locator('a[href="/demands/new"]', { hasText: "要望を提出" }));
    assert.equal(await h1(page), "要望を提出");
    assert.match(await page.locator("p.lead").innerText(), /お使いの言語/);

    const form = page.locator('form[action="/demands"]');
    assert.equal(await form.locator('select[name="enterprise_id"]').count(), 0, "an enterprise does not choose the enterprise");
    await form.getByLabel("件名").fill(TITLE);
    await form.getByLabel("内容").fill(BODY);
    assert.equal(await form.locator('select[name="lang"]').inputValue(), "ja", "the language written defaults to the interface's");
    await form.locator('select[name="category_id"]').selectOption({ label: CATEGORY_JA });
    assert.equal(await form.locator('select[name="priority"]').inputValue(), "normal");
    await clickAndLoad(page, form.getByRole("button", { name: "提出", exact: true }));
    await assertAccepted(page, "submitting the demand");

    const m = new URL(page.url()).pathname.match(/^\/demands\/(\d+)$/);
    assert.ok(m, `after submitting, the demand's page opens (got ${page.url()})`);
    demandId = Number(m[1]);
    assert.equal(await h1(page), `#${demandId} ${TITLE}`);
    assert.equal(await fact(page, "状態"), "提出済み");
    assert.equal(await fact(page, "企業"), ENTERPRISE_JA);
    assert.equal(await fact(page, "分類"), CATEGORY_JA);
    const body = page.locator('section.card div.text[lang="ja"]');
    assert.equal((await body.innerText()).trim(), BODY, "the body is shown as written");
    assert.match(await page.locator("section.card h2", { hasText: "内容" }).innerText(), /日本語/);
    assert.equal(await stepForm(page, "accept").count(), 0, "the enterprise cannot accept its own demand");
    ok(`demand #${demandId} submitted, state 提出済み`);

    await clickAndLoad(page, page.locator("header nav a", { hasText: exactly("要望") }));
    const row = page.locator("table tbody tr").filter({ has: page.locator(`a[href="/demands/${demandId}"]`) });
    assert.equal(await row.count(), 1, "the demand is in the enterprise's list");
    const c = await cells(row);
    assert.equal(c[1], TITLE);
    assert.equal(c[3], "提出済み");
    ok("listed among the enterprise's demands");
    await context.close();
  }

  // ------------------------------------------------------------------
  section("2. the coordinator accepts it and assigns it to the Taxation Bureau");
  {
    const { context, page } = await session("coordinator", "zh-CN");
    await signIn(page, "coordinator", "李协调员");
    assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN");
    const row = await openView(page, "诉求", "待受理");
    assert.equal(await row.count(), 1, "the new demand is in the intake queue");
    const c = await cells(row);
    assert.equal(c[1], TITLE);
    assert.equal(c[2], ENTERPRISE_ZH);
    assert.equal(c[3], "已提交");
    assert.equal(c[4], CATEGORY_ZH);
    ok("found in the intake queue (待受理), state 已提交");

    await clickAndLoad(page, row.locator(`a[href="/demands/${demandId}"]`));
    assert.equal(await h1(page), `#${demandId} ${TITLE}`);
    assert.equal(await fact(page, "状态"), "已提交");
    assert.equal((await page.locator('div.text[lang="ja"]').innerText()).trim(), BODY);

    const accept = stepForm(page, "accept");
    assert.equal(await accept.count(), 1, "the coordinator may accept");
    const category = accept.locator('select[name="category_id"]');
    assert.equal(
      (await category.locator("option:checked").innerText()).trim(),
      CATEGORY_ZH,
      "the enterprise's category is preselected",
    );
    await clickAndLoad(page, accept.getByRole("button", { name: "受理", exact: true }));
    await assertAccepted(page, "accepting");
    assert.equal(await fact(page, "状态"), "已受理");
    ok("accepted, state 已受理");

    const assign = stepForm(page, "assign");
    assert.equal(await assign.count(), 1, "the coordinator may assign");
    await assign.locator('select[name="lead_department_id"]').selectOption({ label: TAX_BUREAU_ZH });
    await clickAndLoad(page, assign.getByRole("button", { name: "交办", exact: true }));
    await assertAccepted(page, "assigning");
    assert.equal(await fact(page, "状态"), "已交办");
    assert.equal(await fact(page, "牵头部门"), TAX_BUREAU_ZH);
    assert.equal(await stepForm(page, "assign").count(), 0, "no second assignment offered");
    const timeline = await page.locator("ol.timeline").innerText();
    for (const s of ["受理", "交办"]) assert.ok(timeline.includes(s), `the timeline records ${s}`);
    ok(`assigned to ${TAX_BUREAU_ZH}, state 已交办`);

    const withDepartments = await openView(page, "诉求", "办理中");
    assert.equal(await withDepartments.count(), 1, "now listed as with the departments");
    assert.equal((await cells(withDepartments))[5], TAX_BUREAU_ZH);
    await context.close();
  }

  // ------------------------------------------------------------------
  section("3. the Taxation Bureau's officer signs for it and replies");
  {
    const { context, page } = await session("officer-tax", "zh-CN");
    await signIn(page, "officer-tax", "tax 经办人");
    const row = await openView(page, "诉求", "待签收");
    assert.equal(await row.count(), 1, "the demand waits to be signed for");
    assert.equal((await cells(row))[3], "已交办");
    ok("found in 待签收, state 已交办");

    await clickAndLoad(page, row.locator(`a[href="/demands/${demandId}"]`));
    assert.equal(await fact(page, "状态"), "已交办");
    assert.equal(await stepForm(page, "reply").count(), 0, "no reply before signing for");
    await clickAndLoad(page, stepForm(page, "sign_for").getByRole("button", { name: "签收", exact: true }));
    await assertAccepted(page, "signing for");
    assert.equal(await fact(page, "状态"), "办理中");
    ok("signed for, state 办理中");

    const reply = stepForm(page, "reply");
    assert.equal(await reply.count(), 1, "the officer may reply");
    await reply.locator('select[name="outcome"]').selectOption("resolved");
    assert.equal((await reply.locator('select[name="outcome"] option:checked').innerText()).trim(), "已解决");
    await reply.locator('textarea[name="text"]').fill(REPLY);
    assert.equal(await reply.locator('select[name="lang"]').inputValue(), "ja", "the reply defaults to the demand's language");
    await clickAndLoad(page, reply.getByRole("button", { name: "答复", exact: true }));
    await assertAccepted(page, "replying");
    assert.equal(await fact(page, "状态"), "已答复");
    const card = page.locator("section.reply").first();
    assert.match(await card.locator("h2").innerText(), /答复\s*·\s*已解决/);
    assert.equal((await card.locator('div.text[lang="ja"]').innerText()).trim(), REPLY);
    ok("replied (已解决), state 已答复");
    await context.close();
  }

  // ------------------------------------------------------------------
  section("4. the enterprise rates the reply");
  {
    // A browser that asks for English: the account's saved choice wins.
    const { context, page } = await session("enterprise", "en-US");
    await signIn(page, "enterprise", "佐藤 健");
    assert.equal(await page.locator("html").getAttribute("lang"), "ja", "the saved preference brings Japanese back");
    ok("interface is Japanese again from the account's preference");

    await clickAndLoad(page, page.locator("header nav a", { hasText: exactly("要望") }));
    const row = page.locator("table tbody tr").filter({ has: page.locator(`a[href="/demands/${demandId}"]`) });
    assert.equal(await row.count(), 1);
    assert.equal((await cells(row))[3], "回答済み");
    await clickAndLoad(page, row.locator(`a[href="/demands/${demandId}"]`));
    assert.equal(await fact(page, "状態"), "回答済み");
    const card = page.locator("section.reply").first();
    assert.match(await card.locator("h2").innerText(), /回答\s*·\s*解決/);
    assert.equal((await card.locator("div.text").innerText()).trim(), REPLY);
    log(`  (the enterprise's page names the lead department: ${(await page.locator("dl.facts dt", { hasText: exactly("主管部門") }).count()) > 0})`);
    ok("the reply is shown (回答 · 解決), state 回答済み");

    const rate = stepForm(page, "rate");
    assert.equal(await rate.count(), 1, "the enterprise may rate");
    await rate.locator('select[name="rating"]').selectOption("satisfied");
    assert.equal((await rate.locator('select[name="rating"] option:checked').innerText()).trim(), "満足");
    await clickAndLoad(page, rate.getByRole("button", { name: "評価", exact: true }));
    await assertAccepted(page, "rating");
    assert.equal(await fact(page, "状態"), "終了");
    const rated = await page.locator("section.reply").first().innerText();
    assert.match(rated, /評価:\s*満足/, "the rating is shown with the reply");
    assert.equal(await stepForm(page, "rate").count(), 0, "no second rating offered");
    const timeline = await page.locator("ol.timeline").innerText();
    assert.ok(timeline.includes("評価"), "the timeline records the rating");
    ok("rated 満足, state 終了");

    await clickAndLoad(page, page.locator("header nav a", { hasText: exactly("要望") }));
    assert.equal(
      (await cells(page.locator("table tbody tr").filter({ has: page.locator(`a[href="/demands/${demandId}"]`) })))[3],
      "終了",
    );
    await page.goto(`${base}/demands/${demandId}`);
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    log(`screenshot: ${screenshot}`);
    assert.deepEqual(page.problems, [], "no server errors or script errors");
    await context.close();
  }

  // ------------------------------------------------------------------
  section("5. the road map: a task reported on, printed, drawn and edited");
  let taskId = 0;
  let reported = 0;
  {
    const { context, page } = await session("officer-tax", "zh-CN");
    await signIn(page, "officer-tax", "tax 经办人");
    await clickAndLoad(page, page.locator("header nav a", { hasText: exactly("任务书") }));
    assert.equal(await h1(page), "部门任务清单");
    const open = page.locator("table tbody tr:not(.status-done) a[href^='/tasks/']");
    const hrefs = await open.evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    assert.ok(hrefs.length > 0, "the bureau has unfinished tasks");
    // The first task without sub-tasks takes a percent.
    for (const href of hrefs) {
      await page.goto(`${base}${href}`);
      if ((await page.locator('input[name="percent"]').count()) === 1) {
        taskId = Number(href.split("/").pop());
        break;
      }
    }
    assert.ok(taskId > 0, "one of the bureau's open tasks takes a progress report");
    const before = Number(await page.locator("dl.facts progress").getAttribute("value"));
    reported = Math.min(100, Math.floor(before) + 7);
    const form = page.locator(`form[action="/tasks/${taskId}/reports"]`);
    await form.locator('input[name="percent"]').fill(String(reported));
    await form.locator('textarea[name="body"]').fill("已完成重点企业留抵退税政策辅导。");
    await clickAndLoad(page, form.getByRole("button", { name: "报送进展", exact: true }));
    await assertAccepted(page, "reporting progress");
    assert.equal(Number(await page.locator("dl.facts progress").getAttribute("value")), reported);
    assert.ok((await page.locator("ol.entries").first().innerText()).includes("已完成重点企业留抵退税政策辅导。"));
    ok(`task #${taskId}: ${before}% → ${reported}%`);
    assert.equal(await page.locator(`a[href="/tasks/${taskId}/edit"]`).count(), 0, "an officer does not edit the book");
    assert.deepEqual(page.problems, [], "no server errors or script errors");
    await context.close();
  }
  {
    const { context, page } = await session("coordinator", "zh-CN");
    await signIn(page, "coordinator", "李协调员");
    await clickAndLoad(page, page.locator("header nav a", { hasText: exactly("规划") }));
    assert.equal(await h1(page), "规划路线图");
    await clickAndLoad(page, page.locator("table tbody a[href^='/plans/']").first());
    const row = page.locator("table.book tbody tr").filter({ has: page.locator(`a[href="/tasks/${taskId}"]`) });
    assert.equal(await row.count(), 1, "the reported task is in the plan's book");
    assert.match((await cells(row))[5], new RegExp(`${reported}(\\.0)?%`));
    ok("the plan's book shows the new progress");

    await clickAndLoad(page, page.locator("a", { hasText: exactly("打印任务书") }));
    const printed = await page.locator("table.book-table tbody tr").count();
    assert.ok(printed >= 40, `the printable book lists the tasks (${printed})`);
    await page.goBack();
    await clickAndLoad(page, page.locator("a", { hasText: exactly("进度甘特图") }));
    const bars = await page.locator(".gantt-wrap svg rect").count();
    assert.ok(bars >= 40, `the Gantt view draws a bar per task (${bars} rects)`);
    ok(`printable book (${printed} rows) and Gantt view (${bars} rects)`);

    await page.goto(`${base}/tasks/${taskId}`);
    await clickAndLoad(page, page.locator(`a[href="/tasks/${taskId}/edit"]`));
    const edit = page.locator(`form[action="/tasks/${taskId}/edit"]`);
    await edit.locator('textarea[name="measures"]').fill("逐户辅导，按月通报。");
    await clickAndLoad(page, edit.getByRole("button", { name: "保存修改", exact: true }));
    await assertAccepted(page, "editing the task");
    assert.equal(new URL(page.url()).pathname, `/tasks/${taskId}`);
    assert.equal(await fact(page, "工作措施"), "逐户辅导，按月通报。");
    ok("the coordinator edited the task's measures");
    assert.deepEqual(page.problems, [], "no server errors or script errors");
    await context.close();
  }
  {
    const { context, page } = await session("enterprise", "ja-JP");
    await signIn(page, "enterprise", "佐藤 健");
    assert.equal(await page.locator('header nav a[href="/plans"], header nav a[href="/tasks"]').count(), 0);
    const response = await page.goto(`${base}/tasks/${taskId}`);
    assert.equal(response.status(), 403, "an enterprise cannot open a task");
    ok("the enterprise sees no road map (no menu entry, 403 on the task)");
    await context.close();
  }

  log(`passed: demand #${demandId} walked from submission to a satisfied rating; task #${taskId} reported on and edited`);
} catch (e) {
  exitCode = 1;
  console.error(`\nwalk FAILED during: ${step}`);
  console.error(e && e.stack ? e.stack : e);
  for (const ctx of browser.contexts()) {
    for (const p of ctx.pages()) {
      try {
        const where = resolve(root, "target/browser/failure.png");
        mkdirSync(dirname(where), { recursive: true });
        await p.screenshot({ path: where, fullPage: true });
        console.error(`page at failure: ${p.url()} (screenshot ${where})`);
        if (p.problems?.length) console.error(`problems seen: ${p.problems.join("; ")}`);
      } catch {}
    }
  }
} finally {
  await browser.close().catch(() => {});
  clearTimeout(watchdog);
}
console.log(exitCode === 0 ? "1 passed, 0 failed" : "0 passed, 1 failed");
process.exit(exitCode);
