/**
 * Requests of one device, and of one user, under way at once [A11][A12]: counted in memory per
 * server process, so that one device's secret cannot take the hub's shared slots (push bodies
 * being read, database work) from every other phone.
 */
import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../services/errors';

const BUSY_RETRY_SECONDS = 2;
const busy = (message: string, detail: string) => new ServiceError('unavailable', message, detail, BUSY_RETRY_SECONDS);

/**
 * Pushes being read or written now, by device and by user: `take` refuses (503, Retry-After) a
 * push over either bound, and gives back the release to call once the push is answered. A device's
 * push whose body has not all come yet gives way to the device's next one: a phone that lost its
 * line mid-upload sends nothing more (no FIN through a tunnel or a NAT drop), and its slot would
 * otherwise be held until the request timed out, minutes later.
 */
export class PushesUnderWay {
  private readonly devices = new Map<string, { readonly req: IncomingMessage | undefined; readonly release: () => void }>();
  private readonly users = new Map<string, number>();
  /** `perUser`: pushes of one user at once (a device has one at a time) */
  constructor(private readonly perUser: number) {}

  take(deviceId: string, userId: string, req?: IncomingMessage): () => void {
    const holder = this.devices.get(deviceId);
    if (holder !== undefined && holder.req !== undefined && !holder.req.complete) {
      holder.req.destroy();
      holder.release();
    }
    if (this.devices.has(deviceId)) throw busy('この端末からの送信がまだ続いています。少し待ってから自動でもう一度送ります。', `a push of device ${deviceId} is under way (one at a time a device)`);
    if ((this.users.get(userId) ?? 0) >= this.perUser) {
      throw busy('この職員のほかの端末からの送信がまだ続いています。少し待ってから自動でもう一度送ります。', `${this.perUser} pushes of user ${userId} are under way (at most ${this.perUser} a user)`);
    }
    this.users.set(userId, (this.users.get(userId) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (this.devices.get(deviceId)?.release === release) this.devices.delete(deviceId);
      const left = (this.users.get(userId) ?? 1) - 1;
      if (left === 0) this.users.delete(userId);
      else this.users.set(userId, left);
    };
    this.devices.set(deviceId, { req, release });
    return release;
  }
}

/**
 * Pulls under way, by device: from their arrival (waiting for the gate or the lane included) until
 * their page is read. `run` refuses (503, Retry-After) a device's second. Keyed by the device id
 * and secret as sent, before they are checked: a pull with made-up credentials takes no phone's
 * place (it is refused at its check), and one device's secret cannot queue page after page. The
 * app asks for its next page only when the hub names that page's cursor, in the headers of an
 * answer whose page was read, so it meets the bound only when a page asked ahead is still read as
 * a run starts again (a quick lock and unlock): answered busy, it comes back after the 2 s.
 */
export class PullsUnderWay {
  private readonly devices = new Set<string>();

  async run<T>(deviceId: string, secret: string, work: () => Promise<T>): Promise<T> {
    // Neither can hold a newline (they come in headers): the key is one pair.
    const key = `${deviceId}\n${secret}`;
    if (this.devices.has(key)) throw busy('この端末の受信がまだ続いています。少し待ってから自動でもう一度受け取ります。', `a pull of device ${deviceId} is under way (one at a time a device)`);
    this.devices.add(key);
    try {
      return await work();
    } finally {
      this.devices.delete(key);
    }
  }
}
