// The calling adapter on the ACS web Calling SDK (served unmodified from npm through the
// page's import map). It joins muted, never asks a Consumer for devices, reports the role
// and capabilities as the SDK learns them, and keeps one call agent per tab.

import {
  CallClient,
  Features,
  LocalAudioStream,
  LocalVideoStream,
  VideoStreamRenderer,
} from "@azure/communication-calling";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";

const WATCHED = ["unmuteMic", "turnVideoOn", "shareScreen"];

// Joined muted. A Consumer (receive only) joins with a silent stream made in the page, so
// the SDK never opens the microphone: joining muted alone still asks for it.
function audioFor(role) {
  if (role !== "Consumer") return { muted: true };
  const silence = new AudioContext().createMediaStreamDestination().stream;
  return { muted: true, localAudioStreams: [new LocalAudioStream(silence)] };
}

export async function join({ roomId, token, displayName, role, refresh }) {
  const credential = new AzureCommunicationTokenCredential({
    token,
    tokenRefresher: async () => (await refresh()).token,
    refreshProactively: true,
  });
  const client = new CallClient();
  const agent = await client.createCallAgent(credential, { displayName });
  const call = agent.join({ roomId }, { audioOptions: audioFor(role) });
  const handlers = {};
  const emit = (name, ...values) => (handlers[name] || []).forEach((h) => h(...values));
  const capabilities = call.feature(Features.Capabilities);
  const report = () => {
    const present = {};
    for (const name of WATCHED) present[name] = Boolean(capabilities.capabilities[name]?.isPresent);
    emit("capabilities", present);
  };
  call.on("stateChanged", () => emit("state", call.state, call.callEndReason));
  call.on("roleChanged", () => emit("role", call.role));
  call.on("remoteParticipantsUpdated", () => emit("participants", call.remoteParticipants.length + 1));
  capabilities.on("capabilitiesChanged", report);
  let video = null;
  let renderer = null;
  const devices = role === "Consumer" ? null : client.getDeviceManager();
  return {
    on(name, handler) {
      (handlers[name] = handlers[name] || []).push(handler);
      if (name === "state") handler(call.state, call.callEndReason);
      if (name === "role") handler(call.role);
      if (name === "capabilities") report();
    },
    async hangUp() {
      if (call.state !== "Disconnected") await call.hangUp();
      await agent.dispose();
    },
    async setMic(on) {
      if (on) await call.unmute();
      else await call.mute();
    },
    async setCamera(on) {
      if (!devices) return;
      if (on) {
        const [camera] = await (await devices).getCameras();
        if (!camera) return;
        video = new LocalVideoStream(camera);
        await call.startVideo(video);
        renderer = new VideoStreamRenderer(video);
        const view = await renderer.createView();
        document.getElementById("videos").appendChild(view.target);
      } else if (video) {
        await call.stopVideo(video);
        renderer?.dispose();
        video = null;
      }
    },
    async setShare(on) {
      if (on) await call.startScreenSharing();
      else await call.stopScreenSharing();
    },
  };
}
