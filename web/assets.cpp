// The stylesheet and script of the web app, served by sohoa itself: no CDN,
// no build step. Sized for a 1366×768 office screen.
#include "web/pages.h"

namespace sohoa::web {

const std::string& app_css() {
  static const std::string css = R"css(
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: #1d2430; background: #f4f6f9; }
header { display: flex; align-items: center; gap: 18px; padding: 8px 20px; background: #7a1f1f; color: #fff; }
header a { color: #fff; text-decoration: none; }
header .brand { font-weight: bold; font-size: 17px; margin-right: 12px; }
header nav { display: flex; gap: 4px; flex: 1; }
header nav a { padding: 6px 12px; border-radius: 4px; }
header nav a.active, header nav a:hover { background: rgba(255,255,255,.18); }
header .who { opacity: .9; }
header button { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.6); }
main { max-width: 1320px; margin: 0 auto; padding: 14px 20px 40px; }
h1 { font-size: 22px; margin: 6px 0 10px; }
h2 { font-size: 17px; margin: 18px 0 8px; }
.note { color: #566; }
.error { color: #b00020; }
.empty { padding: 20px; background: #fff; border: 1px dashed #bbb; }
button { font: inherit; padding: 6px 14px; border-radius: 4px; border: 1px solid #7a1f1f; background: #7a1f1f; color: #fff; cursor: pointer; }
input, select { font: inherit; padding: 5px 8px; border: 1px solid #aab; border-radius: 4px; }
label { display: block; margin: 8px 0; }
label input, label select { display: block; width: 100%; margin-top: 3px; }
.card { background: #fff; border: 1px solid #d8dde4; border-radius: 6px; padding: 14px 18px; }
table.data { border-collapse: collapse; width: 100%; background: #fff; }
table.data th, table.data td { border-bottom: 1px solid #e2e6ea; padding: 5px 8px; text-align: left; vertical-align: top; }
table.data th { background: #eef1f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
.chart { margin: 0; background: #fff; border: 1px solid #d8dde4; border-radius: 6px; padding: 8px 12px; }
.chart figcaption { font-weight: 600; }
.chart text { font-size: 11px; fill: #333; }
.chart .small { font-size: 10px; fill: #555; }
.chart .axis { stroke: #888; }
.chart .bar { fill: #7d8fa8; }
.chart .bar.met { fill: #2e7d32; }
.chart .bar.missed { fill: #c62828; }
.chart .target { stroke: #111; stroke-width: 2; stroke-dasharray: 4 2; }
form.search { display: flex; gap: 6px; margin-bottom: 10px; }
form.search input[name=q] { flex: 1; }
mark { background: #ffe066; }
.snippet { color: #333; font-size: 13px; }
.doc { display: grid; grid-template-columns: minmax(0, 56%) minmax(0, 44%); gap: 16px; }
.pages { max-height: calc(100vh - 150px); overflow: auto; }
.pages figure { margin: 0 0 12px; background: #fff; border: 1px solid #d8dde4; }
.pages img { width: 100%; display: block; }
.pages figcaption { font-size: 12px; color: #555; padding: 4px 8px; }
.meta { max-height: calc(100vh - 150px); overflow: auto; }
table.fields { width: 100%; border-collapse: collapse; background: #fff; }
table.fields th { width: 36%; text-align: left; font-weight: 600; padding: 4px 8px; background: #eef1f5; border-bottom: 1px solid #e2e6ea; }
table.fields td { padding: 4px 8px; border-bottom: 1px solid #e2e6ea; }
.source { word-break: break-all; font-size: 12px; }
pre.text { white-space: pre-wrap; background: #fff; border: 1px solid #d8dde4; padding: 8px; font-size: 13px; }
.status { font-size: 13px; padding: 2px 8px; border-radius: 10px; vertical-align: middle; }
.status.ok { background: #dff0d8; } .status.review { background: #fff3cd; } .status.failed { background: #f8d7da; }
.reason { background: #fff3cd; padding: 4px 8px; }
body.login main { max-width: 380px; margin-top: 12vh; }
body.login button { width: 100%; margin-top: 8px; }
progress { width: 100%; }
.page-image { position: relative; }
.boxes { position: absolute; inset: 0; }
.wbox { position: absolute; border-radius: 2px; }
.wbox:hover { background: rgba(255, 170, 0, .28); outline: 2px solid #e08a00; }
.wbox.hit { background: rgba(255, 224, 102, .45); outline: 1px solid #d4a800; }
form.find { margin: 0 0 8px; }
form.find label { display: flex; align-items: center; gap: 8px; margin: 0; }
form.find input { display: inline-block; width: 260px; margin: 0; }
)css";
  return css;
}

const std::string& app_js() {
  static const std::string js = R"js(
"use strict";
const csrf = () => (document.querySelector('meta[name="csrf"]') || {}).content || "";

async function postJson(url, body) {
  const res = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    body: JSON.stringify(body),
  });
  let data = {};
  try { data = await res.json(); } catch (e) { /* not JSON */ }
  return { status: res.status, data };
}

const loginForm = document.getElementById("login-form");
if (loginForm) {
  loginForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const error = document.getElementById("login-error");
    error.textContent = "";
    const r = await postJson("/api/v1/login",
      { user: loginForm.user.value, password: loginForm.password.value });
    if (r.status === 200) { location.href = "/"; return; }
    error.textContent = r.status === 429
      ? "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau một phút."
      : "Sai tên đăng nhập hoặc mật khẩu.";
  });
}

const logout = document.getElementById("logout");
if (logout) {
  logout.addEventListener("click", async () => {
    await postJson("/api/v1/logout", {});
    location.href = "/login";
  });
}

const correction = document.getElementById("correction-form");
if (correction) {
  correction.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const error = document.getElementById("correction-error");
    error.textContent = "";
    const r = await postJson("/api/v1/documents/" + correction.dataset.doc + "/corrections",
      { field: correction.field.value, value: correction.value.value });
    if (r.status === 200) { location.reload(); return; }
    error.textContent = "Không lưu được: " + (r.data.error || r.status);
  });
}

// "Hòa Đồng," -> "hoa dong": what the server's data-f holds for each word box.
function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
    .toLowerCase();
}

// Marks the word boxes whose word is one of the words typed (word* for a
// prefix); returns how many.
function highlightWords(query) {
  const terms = fold(query).split(/[^0-9a-z*]+/).filter((t) => t && t !== "*");
  let count = 0;
  for (const box of document.querySelectorAll(".wbox")) {
    const word = box.dataset.f;
    const hit = terms.some((t) => t.endsWith("*") ? word.startsWith(t.slice(0, -1)) : word === t);
    box.classList.toggle("hit", hit);
    if (hit) count++;
  }
  return count;
}

const find = document.getElementById("find");
if (find) {
  const show = () => {
    const n = highlightWords(find.value);
    document.getElementById("find-count").textContent = find.value.trim() ? n + " từ" : "";
  };
  find.addEventListener("input", show);
  document.getElementById("find-form").addEventListener("submit", (ev) => ev.preventDefault());
  show();
}

const upload = document.getElementById("upload-form");
if (upload) {
  upload.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const bar = document.getElementById("upload-progress");
    const status = document.getElementById("upload-status");
    const form = new FormData(upload);
    const xhr = new XMLHttpRequest();
    const id = [...crypto.getRandomValues(new Uint8Array(16))]
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    let polling = null;
    // While OCR runs, ask how many files are done.
    const poll = async () => {
      const r = await fetch("/api/v1/uploads/" + id, { credentials: "same-origin" });
      if (r.status !== 200 || polling === null) return;
      const p = await r.json();
      bar.max = p.files; bar.value = p.done;
      status.textContent = "Đang nhận dạng chữ (OCR): " + p.done + "/" + p.files + " tệp…";
    };
    xhr.open("POST", "/api/v1/ingest");
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.setRequestHeader("X-Upload-Id", id);
    bar.hidden = false; bar.max = 100; bar.value = 0;
    status.textContent = "Đang tải lên…";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
    };
    xhr.upload.onload = () => {
      status.textContent = "Đang nhận dạng chữ (OCR)…";
      bar.value = 0;
      polling = setInterval(poll, 700);
    };
    xhr.onloadend = () => { clearInterval(polling); polling = null; };
    xhr.onload = () => {
      bar.max = 100; bar.value = 100;
      let data = {};
      try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status !== 200) { status.textContent = "Lỗi: " + (data.error || xhr.status); return; }
      status.textContent = "Xong.";
      const body = document.querySelector("#upload-results tbody");
      for (const r of data.results) {
        const tr = document.createElement("tr");
        const cells = [r.source, r.status, r.id === null ? "—" : r.id, r.pages, r.error || ""];
        cells.forEach((v, i) => {
          const td = document.createElement("td");
          if (i === 2 && r.id !== null) {
            const a = document.createElement("a");
            a.href = "/documents/" + r.id; a.textContent = v; td.appendChild(a);
          } else { td.textContent = v; }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      }
    };
    xhr.onerror = () => { status.textContent = "Mất kết nối với máy chủ."; };
    xhr.send(form);
  });
}
)js";
  return js;
}

}  // namespace sohoa::web
