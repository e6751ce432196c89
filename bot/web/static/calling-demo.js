// The demo calling adapter, used when RoomBot talks to its local ACS emulator: no local
// service can carry an ACS call (the Calling SDK signals through Microsoft's own hosts), so
// this joins the emulator's small calling surface instead (acs_emulator/README.md, "Calling
// surface"). The emulator checks the token, the room, its window and the roster as ACS would,
// answers with the role, and posts the calling events to RoomBot's Event Grid webhook, so the
// live-call card moves through the production path. No media flows.

const CAPABILITIES = {
  Presenter: { unmuteMic: true, turnVideoOn: true, shareScreen: true },
  Collaborator: { unmuteMic: true, turnVideoOn: true, shareScreen: true },
  Attendee: { unmuteMic: true, turnVideoOn: true, shareScreen: false },
  Consumer: { unmuteMic: false, turnVideoOn: false, shareScreen: false },
};
const POLL_MS = 2000;
const ROLE_DELAY_MS = 500; // the SDK reports the role a moment after connecting
const NETWORK_ERROR = { code: 490, subCode: 4525 }; // what the SDK ends with when offline

export async function join({ roomId, token, displayName, refresh, endpoint }) {
  if (!endpoint) throw new Error("The demo call needs the ACS emulator's endpoint.");
  const base = endpoint.endsWith("/") ? endpoint : `${endpoint}/`;
  const handlers = {};
  const emit = (name, ...values) => (handlers[name] || []).forEach((h) => h(...values));
  let joined = null; // {serverCallId, participantId} once in the call
  let ended = false;
  let poller = null;
  let bearer = token;

  const leaveUrl = () =>
    new URL(
      `calling/calls/${encodeURIComponent(joined.serverCallId)}` +
        `/participants/${encodeURIComponent(joined.participantId)}/leave`,
      base,
    );
  // keepalive: the leave still goes out while the page is being unloaded.
  const sendLeave = () => fetch(leaveUrl(), { method: "POST", keepalive: true }).catch(() => {});
  // Ends our side once; `leave` also tells the emulator.
  const end = (reason, leave) => {
    if (ended) return;
    ended = true;
    clearInterval(poller);
    window.removeEventListener("pagehide", onPageHide);
    if (leave && joined) sendLeave();
    emit("state", "Disconnected", reason);
  };
  const onPageHide = () => end({ code: 0, subCode: 0 }, true);

  // The participant count while connected; gone from the call means removed from the roster
  // (or the room deleted), as the SDK would end the call.
  const poll = async () => {
    const url = new URL(`calling/calls/${encodeURIComponent(joined.serverCallId)}`, base);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${bearer}` } });
    if (response.status === 401 && refresh) return void (bearer = (await refresh()).token);
    if (response.status === 404) return end({ code: 404, subCode: 5732 }, false);
    if (!response.ok) return;
    const { participants } = await response.json();
    if (!participants.some((p) => p.participantId === joined.participantId)) {
      return end({ code: 403, subCode: 5317 }, false);
    }
    emit("participants", participants.length);
  };

  const start = async () => {
    emit("state", "Connecting");
    let response;
    try {
      response = await fetch(new URL(`calling/rooms/${encodeURIComponent(roomId)}/join`, base), {
        method: "POST",
        headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
        body: JSON.stringify({ displayName }),
      });
    } catch {
      return end(NETWORK_ERROR, false);
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      return end({ code: response.status, subCode: body.error?.subCode ?? 0 }, false);
    }
    joined = body;
    if (ended) return void sendLeave(); // hung up while joining: leave at once
    window.addEventListener("pagehide", onPageHide);
    emit("state", "Connected");
    emit("participants", body.participants);
    setTimeout(() => {
      if (ended) return;
      emit("role", body.role);
      emit("capabilities", CAPABILITIES[body.role] || {});
    }, ROLE_DELAY_MS);
    poller = setInterval(() => poll().catch(() => {}), POLL_MS);
  };

  const call = {
    on(name, handler) {
      (handlers[name] = handlers[name] || []).push(handler);
    },
    hangUp() {
      end({ code: 0, subCode: 0 }, true);
    },
    async setMic() {},
    async setCamera() {},
    async setShare() {},
  };
  setTimeout(start, 0); // after the caller has had the call and registered its handlers
  return call;
}
