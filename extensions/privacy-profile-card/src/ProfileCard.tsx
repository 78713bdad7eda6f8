import "@shopify/ui-extensions/preact";
import { render } from "preact";

export default async () => {
  render(<ProfileCard />, document.body);
};

const t = (key: string) => String(shopify.i18n.translate(key));

/** A card on the Profile page that leads to the Privacy page (the privacy-page extension). */
function ProfileCard() {
  return (
    <s-section heading={t("card.heading")}>
      <s-stack gap="base">
        <s-paragraph>{t("card.body")}</s-paragraph>
        <s-button variant="secondary" href="extension://privacy-page">
          {t("card.open")}
        </s-button>
      </s-stack>
    </s-section>
  );
}
