// A person's path through the web app in a real browser: Debian's headless
// chromium, driven over the DevTools protocol by puppeteer-core, against a
// real `sohoa serve` on a loopback port over scans read by real OCR. Logs
// in, searches without accents, opens a document, submits a correction and
// sees the dashboard's numbers; screenshots go to docs/ (SOHOA_SCREENSHOTS).
// Run by ctest (serve_browser): node browser_test.mjs BUILD_DIR SOURCE_DIR
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";

const [buildDir, sourceDir] = process.argv.slice(2);
const sohoaBin = path.join(buildDir, "sohoa");
const samplesBin = path.join(buildDir, "sohoa-samples");
const shots = process.env.SOHOA_SCREENSHOTS || "";
const password = "mật khẩu của quản trị";

let work, db, server, baseUrl, browser, page, truth;

function sohoa(args, input) {
  const r = spawnSync(sohoaBin, [...args, "--db", db], { input: input ?? "", encoding: "utf8" });
  assert.equal(r.status, 0, `sohoa ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

// "Hòa Mỹ Tây" -> "hoa my tay": what a clerk types without accents.
function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
    .replace(/Đ/g, "D").toLowerCase();
}

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(sohoaBin, ["serve", "--listen", "127.0.0.1:0", "--db", db],
      { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    server.on("exit", (code) => reject(new Error(`sohoa serve exited ${code}: ${out}`)));
  });
}

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), "sohoa-browser-"));
  db = path.join(work, "sohoa.db");
  const scans = path.join(work, "scans");
  const gen = spawnSync(samplesBin, ["--out", scans, "--count", "3", "--profile", "clean",
    "--format", "png", "--seed", "11", "--register", path.join(work, "register.csv")],
    { encoding: "utf8" });
  assert.equal(gen.status, 0, gen.stderr);
  truth = readdirSync(scans).filter((f) => f.endsWith(".truth.json")).sort()
    .map((f) => JSON.parse(readFileSync(path.join(scans, f), "utf8")));
  sohoa(["units", "import", path.join(sourceDir, "samples", "units.csv")]);
  sohoa(["register", "import", path.join(work, "register.csv")]);
  sohoa(["ingest", scans, "--unit", truth[0].unit, "--digitized-at", "2022-12-20", "-q"]);
  sohoa(["users", "add", "admin", "--role", "admin"], password + "\n");
  baseUrl = await startServer();
  browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    userDataDir: path.join(work, "chromium-profile"),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage"],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 768 });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill("SIGTERM");
  if (work) rmSync(work, { recursive: true, force: true });
});

test("a wrong password is refused on the page", async () => {
  await page.goto(baseUrl + "/");
  assert.equal(new URL(page.url()).pathname, "/login");
  await page.type("input[name=user]", "admin");
  await page.type("input[name=password]", "not the password");
  await page.click("button[type=submit]");
  await page.waitForFunction(() => document.getElementById("login-error").textContent !== "");
  const message = await page.$eval("#login-error", (e) => e.textContent);
  assert.match(message, /Sai tên đăng nhập hoặc mật khẩu/);
});

test("logs in and sees the dashboard's numbers", async () => {
  await page.goto(baseUrl + "/login");
  await page.type("input[name=user]", "admin");
  await page.type("input[name=password]", password);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  assert.equal(new URL(page.url()).pathname, "/");
  const expected = JSON.parse(sohoa(["progress", "--format", "json"]));
  const rows = await page.$$eval("table.progress:first-of-type tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
  assert.equal(rows.length, expected.rows.length);
  for (let i = 0; i < rows.length; ++i) {
    // Cấp, Năm, Tính đến, Còn hiệu lực, Đã số hóa, ...
    assert.equal(rows[i][1], String(expected.rows[i].year));
    assert.equal(rows[i][3], String(expected.rows[i].valid));
    assert.equal(rows[i][4], String(expected.rows[i].digitized));
  }
  assert.ok(expected.rows.some((r) => r.digitized > 0), "something digitized");
  assert.ok(await page.$("figure.chart svg rect"), "a chart is drawn");
  if (shots) await page.screenshot({ path: path.join(shots, "web-dashboard.png") });
});

let docId;

test("searches without accents and opens the document", async () => {
  const want = truth[0];
  const query = fold(want.metadata.place + " " + want.metadata.doc_type);
  await page.goto(baseUrl + "/search");
  await page.type("#q", query);
  await Promise.all([page.waitForNavigation(), page.click("form.search button")]);
  const hits = await page.$$eval("table.hits tbody tr", (trs) =>
    trs.map((tr) => ({ number: tr.querySelector("td a").textContent,
      href: tr.querySelector("td a").getAttribute("href") })));
  const hit = hits.find((h) => h.number === want.metadata.doc_number);
  assert.ok(hit, `"${query}" finds ${want.metadata.doc_number}: ${JSON.stringify(hits)}`);
  assert.ok(await page.$("table.hits mark"), "matches are highlighted");
  await Promise.all([page.waitForNavigation(), page.click(`a[href="${hit.href}"]`)]);
  docId = new URL(hit.href, baseUrl).pathname.split("/").pop();
  await page.waitForFunction(() => {
    const img = document.querySelector(".pages img");
    return img && img.complete && img.naturalWidth > 0;
  }, { timeout: 60000 });
  const heading = await page.$eval("h1", (e) => e.textContent);
  assert.match(heading, new RegExp(want.metadata.doc_number.replace(/[/.]/g, "\\$&")));
  if (shots) await page.screenshot({ path: path.join(shots, "web-document.png") });
});

test("highlights the searched words' boxes on the page, and a box on hover", async () => {
  // The search's words came along in the link and are marked on the image.
  const query = await page.$eval("#find", (e) => e.value);
  assert.ok(query.length > 0, "the search text is carried to the document page");
  const terms = query.split(/[^0-9a-z]+/).filter(Boolean);
  const hits = await page.$$eval(".wbox.hit", (els) => els.map((e) => e.dataset.f));
  assert.ok(hits.length >= terms.length, `boxes marked for "${query}": ${hits}`);
  for (const h of hits) assert.ok(terms.includes(h), `${h} is one of ${terms}`);
  for (const t of terms) assert.ok(hits.includes(t), `${t} is marked`);
  const boxes = await page.$$eval(".wbox", (els) => els.length);
  assert.ok(boxes > hits.length, "only those words are marked");
  // A marked box lies on the image, where the word is.
  const inside = await page.$eval(".wbox.hit", (box) => {
    const b = box.getBoundingClientRect();
    const img = box.closest(".page-image").querySelector("img").getBoundingClientRect();
    return b.width > 2 && b.height > 2 && b.left >= img.left && b.right <= img.right + 1 &&
      b.top >= img.top && b.bottom <= img.bottom + 1;
  });
  assert.ok(inside, "the box lies on the page image");
  // Typing another word marks it instead, accents or not.
  const signerFamily = fold(truth[0].metadata.signer.split(" ")[0]);
  await page.click("#find", { clickCount: 3 });
  await page.type("#find", truth[0].metadata.signer.split(" ")[0]);
  const marked = await page.$$eval(".wbox.hit", (els) => els.map((e) => e.dataset.f));
  assert.ok(marked.length > 0 && marked.every((f) => f === signerFamily), `${signerFamily}: ${marked}`);
  assert.match(await page.$eval("#find-count", (e) => e.textContent), /^\d+ từ$/);
  // Hovering a box outlines it.
  await page.hover(".wbox.hit");
  const hovered = await page.$eval(".wbox.hit", (e) => e.matches(":hover") &&
    getComputedStyle(e).outlineStyle === "solid");
  assert.ok(hovered, "the hovered box is outlined");
});

test("submits a correction, recorded with the signed-in user", async () => {
  await page.select("#correction-form select[name=field]", "signer");
  await page.type("#correction-form input[name=value]", "Trần Thị Hạnh");
  await Promise.all([page.waitForNavigation(), page.click("#correction-form button")]);
  const cells = await page.$$eval("#corrections tbody tr td", (tds) => tds.map((td) => td.textContent));
  assert.equal(cells[1], "Trần Thị Hạnh");
  assert.equal(cells[2], "admin");
  const signer = await page.$eval('tr[data-field="signer"] td', (e) => e.textContent);
  assert.equal(signer, "Trần Thị Hạnh");
  const shown = JSON.parse(sohoa(["show", docId, "--json"]));
  assert.equal(shown.metadata.signer, "Trần Thị Hạnh");
});

test("clicks through from the dashboard to a unit and its register rows not digitized", async () => {
  await page.goto(baseUrl + "/");
  const links = await page.$$eval("table.progress a[href^='/units/']", (as) =>
    as.map((a) => a.getAttribute("href")));
  assert.ok(links.length > 0, "the per-unit table links to units");
  const unit = decodeURIComponent(links[0].split("/").pop());
  await Promise.all([page.waitForNavigation(), page.click(`a[href="${links[0]}"]`)]);
  assert.equal(new URL(page.url()).pathname, "/units/" + unit);
  // What is pending is what progress counts as valid and not digitized today.
  const report = JSON.parse(sohoa(["progress", "--by", "unit", "--unit", unit, "--format", "json"]));
  const today = report.rows.filter((r) => r.as_of === report.as_of);
  const expected = today.reduce((n, r) => n + r.valid - r.digitized, 0);
  const total = Number(await page.$eval("#pending-total", (e) => e.textContent));
  assert.equal(total, expected);
  const rows = await page.$$eval("#pending tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
  assert.equal(rows.length, Math.min(total, 200));
  const register = readFileSync(path.join(work, "register.csv"), "utf8");
  for (const r of rows) assert.ok(register.includes(r[1]), `${r[1]} is a register row`);
  // The API says the same.
  const api = await page.evaluate(async (u) =>
    (await fetch("/api/v1/register/pending?unit=" + u)).json(), unit);
  assert.equal(api.total, total);
  if (shots) await page.screenshot({ path: path.join(shots, "web-unit.png") });
});
