import assert from "node:assert/strict";
import { FARGATE_CPU_VALUES, fargateMemoryValues, fargateSizeError, isValidFargateSize } from "../../component/fargate-sizes";

/**
 * The Fargate task sizes as the ECS task definition docs list them: CPU units → memory in GB,
 * written out value by value (not computed), so a wrong range or step in fargate-sizes.ts shows.
 */
const DOCUMENTED_GB: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [0.5, 1, 2]],
  [512, [1, 2, 3, 4]],
  [1024, [2, 3, 4, 5, 6, 7, 8]],
  [2048, [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]],
  [4096, [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]],
  [8192, [16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60]],
  [16384, [32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120]],
]);
const documentedMiB = (cpu: number): number[] => (DOCUMENTED_GB.get(cpu) ?? []).map((gb) => gb * 1024);

describe("fargate-sizes", () => {
  it("lists exactly the documented CPU values and, for each, the documented memory values", () => {
    assert.deepEqual(FARGATE_CPU_VALUES, [256, 512, 1024, 2048, 4096, 8192, 16384]);
    for (const cpu of DOCUMENTED_GB.keys()) assert.deepEqual(fargateMemoryValues(cpu), documentedMiB(cpu), `cpu ${cpu}`);
    assert.deepEqual(fargateMemoryValues(3), []);
  });

  it("accepts every documented pair and nothing else (every 512 MiB step to 128 GB, documented and odd CPUs)", () => {
    let accepted = 0;
    for (const cpu of [...DOCUMENTED_GB.keys(), 0, 128, 768, 3072, 32768]) {
      for (let memory = 0; memory <= 131072; memory += 512) {
        const documented = documentedMiB(cpu).includes(memory);
        assert.equal(isValidFargateSize(cpu, memory), documented, `${cpu}/${memory}`);
        assert.equal(fargateSizeError(cpu, memory) === undefined, documented, `${cpu}/${memory}: ${fargateSizeError(cpu, memory)}`);
        if (documented) accepted++;
      }
    }
    assert.equal(accepted, 3 + 4 + 7 + 13 + 23 + 12 + 12);
    assert.equal(isValidFargateSize(256, 1000), false);
  });

  it("explains the fix", () => {
    assert.match(fargateSizeError(300, 512) ?? "", /use one of 256, 512, 1024, 2048, 4096, 8192, 16384/);
    assert.match(fargateSizeError(256, 4096) ?? "", /use 512, 1024, 2048 MiB/);
    assert.match(fargateSizeError(1024, 1024) ?? "", /2048 to 8192 in steps of 1024/);
    assert.match(fargateSizeError(16384, 16384) ?? "", /32768 to 122880 in steps of 8192/);
  });
});
