import assert from "node:assert/strict";
import { FARGATE_CPU_VALUES, fargateMemoryValues, fargateSizeError, isValidFargateSize } from "../../component/fargate-sizes";

describe("fargate-sizes", () => {
  it("accepts the documented pairs", () => {
    for (const [cpu, memory] of [
      [256, 512], [256, 2048], [512, 1024], [512, 4096], [1024, 8192], [2048, 16384],
      [4096, 30720], [8192, 16384], [8192, 61440], [16384, 32768], [16384, 122880],
    ] as const) {
      assert.ok(isValidFargateSize(cpu, memory), `${cpu}/${memory}`);
      assert.equal(fargateSizeError(cpu, memory), undefined);
    }
  });

  it("rejects pairs outside the table", () => {
    for (const [cpu, memory] of [[256, 3072], [256, 4096], [512, 512], [1024, 1024], [4096, 31744], [8192, 20000], [100, 512], [16384, 16384]] as const) {
      assert.equal(isValidFargateSize(cpu, memory), false, `${cpu}/${memory}`);
    }
  });

  it("explains the fix", () => {
    assert.match(fargateSizeError(300, 512) ?? "", /use one of 256, 512, 1024, 2048, 4096, 8192, 16384/);
    assert.match(fargateSizeError(256, 4096) ?? "", /use 512, 1024, 2048 MiB/);
    assert.match(fargateSizeError(1024, 1024) ?? "", /2048 to 8192 in steps of 1024/);
  });

  it("lists memory steps", () => {
    assert.deepEqual(FARGATE_CPU_VALUES, [256, 512, 1024, 2048, 4096, 8192, 16384]);
    assert.deepEqual(fargateMemoryValues(512), [1024, 2048, 3072, 4096]);
    assert.equal(fargateMemoryValues(8192).length, 12);
    assert.deepEqual(fargateMemoryValues(3), []);
  });
});
