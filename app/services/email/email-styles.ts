/** The layout the merchant's emails share (the digest and the notices): a grey page, a white card. */
export const page = {
  backgroundColor: "#f6f6f7",
  fontFamily: "Helvetica, Arial, sans-serif",
  padding: "24px 0",
};
export const card = {
  backgroundColor: "#ffffff",
  borderRadius: "8px",
  margin: "0 auto",
  maxWidth: "600px",
  padding: "24px",
};
export const paragraph = { color: "#202223", fontSize: "15px", lineHeight: "22px" };
