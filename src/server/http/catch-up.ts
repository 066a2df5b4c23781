/**
 * [A12] What one server process remembers of the pulls it answered, to tell a pull that catches
 * its device up before the caller is checked (the lane is chosen first, api.ts): each device's hub
 * and whether its last page left more to come, and each hub's head as its last page read it. A
 * device not remembered (the server just started, or it was forgotten) is told by its page alone.
 */
export class CatchUpMemory {
  /** in the order they were last answered: the longest unseen is forgotten first */
  private readonly devices = new Map<string, { readonly tenantId: string; readonly more: boolean }>();
  private readonly heads = new Map<string, number>();

  /**
   * `page`: a pull asking for more records than this, or starting more versions than this behind
   * its hub's head, reads more than the app's incremental sync ever does: it catches up.
   * `remembered`: devices remembered at most.
   */
  constructor(
    private readonly page: number,
    private readonly remembered: number,
  ) {}

  catchesUp(deviceId: string, version: number, limit: number): boolean {
    if (limit > this.page) return true;
    const device = this.devices.get(deviceId);
    if (device === undefined) return false;
    const head = this.heads.get(device.tenantId);
    return device.more || (head !== undefined && head - version > this.page);
  }

  /** `head`: the hub's head in the page's snapshot (never the cursor a client sent, which may be anything) */
  answered(deviceId: string, tenantId: string, page: { readonly hasMore: boolean; readonly head: number | undefined }): void {
    this.devices.delete(deviceId);
    this.devices.set(deviceId, { tenantId, more: page.hasMore });
    if (this.devices.size > this.remembered) this.devices.delete(this.devices.keys().next().value!);
    if (page.head !== undefined) this.heads.set(tenantId, page.head);
  }
}
