/**
 * AMB assets are born at Apple, not in Webex Connect (user guide steps 1–3): the business registers at
 * Apple Business Register, picks Webex Connect as its Messaging Service Provider, and opens the MSP
 * link with `&name=<AccountName>` appended. These helpers say so, in one place.
 */

export const APPLE_BUSINESS_REGISTER_URL = "https://register.apple.com";
export const MSP_LINK_EXAMPLE = "https://business-chat.imiconnect.io/applebusinesschat/login?id=<uuid>";

/** The MSP link with the account name set, so Webex Connect registers the asset under that name. */
export function mspLinkWithAccountName(mspLink: string, accountName: string): string {
  const name = accountName.trim();
  if (name === "")
    throw new Error(
      "accountName is empty: pass the Messages for Business account name, e.g. TestAccount_Cisco.",
    );
  let url: URL;
  try {
    url = new URL(mspLink.trim());
  } catch {
    throw new Error(
      `mspLink ${JSON.stringify(mspLink)} is not a URL: copy the link Apple shows after "Connect", e.g. ${MSP_LINK_EXAMPLE}.`,
    );
  }
  if (!url.searchParams.get("id"))
    throw new Error(
      `mspLink ${JSON.stringify(mspLink)} has no id parameter: copy the whole link Apple shows, e.g. ${MSP_LINK_EXAMPLE}.`,
    );
  url.searchParams.set("name", name);
  return url.toString();
}

/** What to do instead of creating an AMB asset through the API. */
export function ambRegistrationInstructions(accountName = "<AccountName>"): string {
  return (
    "Apple Messages for Business assets cannot be created in Webex Connect. Register the business at " +
    `Apple Business Register (${APPLE_BUSINESS_REGISTER_URL}), create a Messages for Business account, choose ` +
    'Webex Connect as Messaging Service Provider and, after "Connect", open the MSP link with ' +
    `&name=${accountName} appended (e.g. ${MSP_LINK_EXAMPLE}&name=${accountName}). The asset then appears ` +
    'under Assets > Apps with status "In review", then "Online" once Apple approves it.'
  );
}
