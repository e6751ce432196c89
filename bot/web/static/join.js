// The join page: ask RoomBot for a token (POST, with the session's CSRF token), then join the
// room's call through a calling adapter: calling-sdk.js (the ACS web Calling SDK) or, against
// RoomBot's local ACS emulator, calling-demo.js. Both answer the same small interface:
//   join({roomId, token, expiresOn, displayName, role, refresh}) -> call
//   call.on("state" | "role" | "participants" | "capabilities", handler), call.hangUp(),
//   call.setMic(on), call.setCamera(on), call.setShare(on)
// Tests swap the adapter for a scripted one through window.RoomBotCallingOverride.

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;
const $ = (id) => document.getElementById(id);
const key = meta("roombot-key");
const csrf = meta("roombot-csrf");
const mode = meta("roombot-calling");

// Rooms sub-codes, as the ACS UI library words them (shared/reference/JOIN.md §1.2).
const ENDINGS = {
  5732: ["Room not found", "This room could not be found. It may have been deleted."],
  5829: ["Room not open now", "This room is not open at this time: see its window above."],
  5828: ["Not invited", "You're not on this room's roster. Ask its organizer to invite you."],
  5317: ["Removed from the room", "You were removed from this room's roster."],
  4507: ["Sign-in expired", "RoomBot could not give you a valid token. Reload the page."],
};
const REFUSALS = { no_room: 5732, not_invited: 5828, not_yet_open: 5829, ended: 5829 };
const DEVICE_FREE_ROLES = new Set(["Consumer"]); // receive only: never asked for devices

async function api(path) {
  const response = await fetch(`/api/rooms/${encodeURIComponent(key)}/${path}`, {
    method: "POST",
    headers: { "X-RoomBot-CSRF": csrf },
    credentials: "same-origin",
    cache: "no-store",
  });
  const body = await response.json().catch(() => ({}));
  return { status: response.status, body };
}

function finish(title, text) {
  $("call").hidden = true;
  $("outcome").hidden = false;
  $("outcome-title").textContent = title;
  $("outcome-text").textContent = text;
}

function supported() {
  return window.isSecureContext && "RTCPeerConnection" in window && "WebSocket" in window;
}

// One call per tab and room: a second tab would need a second call agent for the same
// identity, which ACS refuses (409/40228).
function claimTab() {
  if (!("BroadcastChannel" in window)) return Promise.resolve(true);
  const channel = new BroadcastChannel(`roombot-call-${key}`);
  channel.onmessage = (event) => {
    if (event.data === "anyone-in-call?") channel.postMessage("in-call");
  };
  return new Promise((resolve) => {
    const answered = (event) => event.data === "in-call" && resolve(false);
    channel.addEventListener("message", answered);
    channel.postMessage("anyone-in-call?");
    setTimeout(() => resolve(true), 300);
  });
}

async function loadAdapter() {
  if (window.RoomBotCallingOverride) return window.RoomBotCallingOverride;
  return import(mode === "demo" ? "/static/calling-demo.js" : "/static/calling-sdk.js");
}

function wire(call, grantedRole) {
  let role = "Unknown";
  let capabilities = {};
  const toggles = { mic: false, camera: false, share: false };
  const render = () => {
    const known = role !== "Unknown";
    const devices = known && !DEVICE_FREE_ROLES.has(role);
    if (known) $("role").textContent = `Your role: ${role}`;
    $("mic").hidden = !(devices && capabilities.unmuteMic);
    $("camera").hidden = !(devices && capabilities.turnVideoOn);
    $("share").hidden = !(known && capabilities.shareScreen && !DEVICE_FREE_ROLES.has(role));
  };
  call.on("role", (value) => { role = value; render(); });
  call.on("capabilities", (value) => { capabilities = value || {}; render(); });
  call.on("participants", (count) => {
    $("participants").textContent = `${count} in the call`;
  });
  call.on("state", (state, ending) => {
    $("status").textContent = state === "Connected" ? "In the call" : `${state}…`;
    $("leave").hidden = state !== "Connected";
    if (state !== "Disconnected") return;
    const known = ending && ENDINGS[ending.subCode];
    if (known) finish(...known);
    else if (ending && ending.code) {
      const why = `Azure Communication Services ended it (${ending.code}/${ending.subCode}).`;
      finish("The call could not go on", `${why} Check your network, then reload to try again.`);
    } else finish("You left the call", "Close this tab, or reload it to join again.");
  });
  const flip = (name, apply, on, off) => async () => {
    toggles[name] = !toggles[name];
    $(name).textContent = toggles[name] ? on : off;
    await apply(toggles[name]);
  };
  $("mic").onclick = flip("mic", (on) => call.setMic(on), "Mute", "Unmute");
  $("camera").onclick = flip("camera", (on) => call.setCamera(on), "Stop video", "Start video");
  $("share").onclick = flip("share", (on) => call.setShare(on), "Stop sharing", "Share screen");
  $("leave").onclick = () => call.hangUp();
  window.addEventListener("pagehide", () => call.hangUp());
  render();
  document.body.dataset.grantedRole = grantedRole;
}

// The window in the reader's own time zone, as Slack shows it on the card.
function localTimes() {
  const format = { dateStyle: "medium", timeStyle: "short" };
  for (const time of document.querySelectorAll("time[datetime]")) {
    time.textContent = new Date(time.getAttribute("datetime")).toLocaleString(undefined, format);
  }
}

// A personal join link carries a pass in its fragment (#t=…), which never reaches a server
// on its own: trade it for a session by POST, forget it, and load the page signed in.
async function redeemPass() {
  const pass = new URLSearchParams(location.hash.slice(1)).get("t");
  if (!pass) return false;
  history.replaceState(null, "", location.pathname);
  const response = await fetch("/api/rooms/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({ key, t: pass }),
  });
  if (response.ok) {
    location.reload();
    return true;
  }
  const body = await response.json().catch(() => ({}));
  $("signin")?.insertAdjacentHTML("afterbegin", '<p id="pass-problem" class="problem"></p>');
  const problem = $("pass-problem");
  if (problem) problem.textContent = body.message || "This personal join link did not work.";
  return true;
}

async function main() {
  localTimes();
  if (await redeemPass()) return;
  if (!csrf) return; // signed out, or sign-in not set up: the page itself says what to do
  if (!supported()) {
    $("call").hidden = true;
    return finish("Browser not supported", "Join from a recent Chrome, Edge, Safari or Firefox.");
  }
  if (!(await claimTab())) {
    return finish("Open in another tab", "This room's call is already open in another tab.");
  }
  const { status, body } = await api("join");
  if (status === 401) return location.assign(body.signInUrl);
  if (status !== 200) {
    const code = REFUSALS[body.error];
    const title = code ? ENDINGS[code][0] : "Cannot join now";
    return finish(title, body.message || "Try again in a minute.");
  }
  $("call").hidden = false;
  $("role").textContent = `Joining as ${body.role}`;
  const refresh = async () => {
    const answer = await api("token");
    if (answer.status !== 200) throw new Error(answer.body.error || "token refresh failed");
    return answer.body;
  };
  try {
    const adapter = await loadAdapter();
    const endpoint = meta("roombot-calling-endpoint");
    const call = await adapter.join({ ...body, refresh, endpoint });
    wire(call, body.role);
  } catch (error) {
    finish("Cannot join now", String(error && error.message ? error.message : error));
  }
}

main();
