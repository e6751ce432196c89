// The demo calling adapter, used when RoomBot talks to its local ACS emulator: no local
// service can carry an ACS call (the Calling SDK signals through Microsoft's own hosts), so
// this plays one: connecting, connected, the role arriving a moment later as the SDK's does,
// and the capabilities that role has in a rooms call.

const CAPABILITIES = {
  Presenter: { unmuteMic: true, turnVideoOn: true, shareScreen: true },
  Collaborator: { unmuteMic: true, turnVideoOn: true, shareScreen: true },
  Attendee: { unmuteMic: true, turnVideoOn: true, shareScreen: false },
  Consumer: { unmuteMic: false, turnVideoOn: false, shareScreen: false },
};

export async function join({ role }) {
  const handlers = {};
  const emit = (name, ...values) => (handlers[name] || []).forEach((h) => h(...values));
  const call = {
    on(name, handler) {
      (handlers[name] = handlers[name] || []).push(handler);
    },
    hangUp() {
      emit("state", "Disconnected", { code: 0, subCode: 0 });
    },
    async setMic() {},
    async setCamera() {},
    async setShare() {},
  };
  setTimeout(() => emit("state", "Connecting"), 0);
  setTimeout(() => {
    emit("state", "Connected");
    emit("participants", 1);
  }, 300);
  setTimeout(() => {
    emit("role", role);
    emit("capabilities", CAPABILITIES[role] || {});
  }, 800);
  return call;
}
