import type { CSSProperties } from "react";
import { displayParagraph, displayValue } from "../domain/display-text";

const WRAP: CSSProperties = { overflowWrap: "anywhere", wordBreak: "normal" };

/**
 * Text a shopper or another system supplied: bidi and control characters removed, isolated
 * (<bdi>) so a right-to-left name cannot reorder the words around it, and wrapped anywhere so a
 * 5,000-character address cannot widen the page. `lines` clamps it where space is short (tables).
 */
export function ShopperText({
  value,
  multiline = false,
  lines,
}: {
  value: string;
  multiline?: boolean;
  lines?: number;
}) {
  const text = multiline ? displayParagraph(value) : displayValue(value);
  const style: CSSProperties = lines
    ? {
        ...WRAP,
        display: "-webkit-box",
        WebkitBoxOrient: "vertical",
        WebkitLineClamp: lines,
        overflow: "hidden",
        whiteSpace: "normal",
        maxWidth: "28rem",
      }
    : { ...WRAP, whiteSpace: multiline ? "pre-line" : undefined };
  return <bdi style={style}>{text}</bdi>;
}
