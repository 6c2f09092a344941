import assert from "node:assert/strict";
import { test } from "node:test";
import { clampList, maxList } from "../app/ui/Splitter";

test("the list stays between 240 px and half the frame, at most 600 px", () => {
  assert.equal(maxList(1440), 600);
  assert.equal(maxList(900), 450);
  assert.equal(clampList(100, 1440), 240);
  assert.equal(clampList(512.4, 1440), 512);
  assert.equal(clampList(2000, 1000), 500);
});
