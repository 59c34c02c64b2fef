/**
 * AMB assets are born at Apple, not in Webex Connect (user guide steps 1–3): the business registers at
 * Apple Business Register, picks Webex Connect as its Messaging Service Provider, and opens the MSP
 * link with `&name=<AccountName>` appended. These helpers say so, in one place.
 */

export const APPLE_BUSINESS_REGISTER_URL = "https://register.apple.com";
export const MSP_LINK_EXAMPLE = "https://business-chat.imiconnect.io/applebusinesschat/login?id=<uuid>";

/** The host of Webex Connect's MSP link, as the user guide shows it (step 19). */
export const MSP_LINK_HOST = "business-chat.imiconnect.io";

const COPY_THE_LINK = `copy the link Apple shows after "Connect", e.g. ${MSP_LINK_EXAMPLE}.`;

/**
 * Why `mspLink` is not Webex Connect's link for the account `accountName`: not https, on another host, without the
 * id Apple puts in it, or naming another account in `&name=`. Undefined when it is. A wrong link is otherwise found
 * only after Apple's review.
 */
export function mspLinkProblem(mspLink: string, accountName: string): string | undefined {
  const shown = JSON.stringify(mspLink);
  let url: URL;
  try {
    url = new URL(mspLink.trim());
  } catch {
    return `${shown} is not an https URL. Fix: ${COPY_THE_LINK}`;
  }
  if (url.protocol !== "https:") return `${shown} is not an https URL. Fix: ${COPY_THE_LINK}`;
  if (url.hostname !== MSP_LINK_HOST) {
    return (
      `${shown} is on the host ${JSON.stringify(url.hostname)}, not on Webex Connect's ${MSP_LINK_HOST}, so it ` +
      `would not register the asset. Fix: ${COPY_THE_LINK}`
    );
  }
  if (!url.searchParams.get("id")) {
    return `${shown} has no id parameter, which Apple puts in the link for this account. Fix: ${COPY_THE_LINK}`;
  }
  const named = url.searchParams.get("name");
  const account = accountName.trim();
  if (named === null || named === account) return undefined;
  return (
    `${shown} names the account ${JSON.stringify(named)}, but asset.accountName is ${JSON.stringify(account)}: ` +
    `the asset would be registered under another account name. Fix: remove &name=${named} (the stack appends ` +
    `&name=${account}), or correct asset.accountName.`
  );
}

/** The MSP link with the account name set, so Webex Connect registers the asset under that name. */
export function mspLinkWithAccountName(mspLink: string, accountName: string): string {
  const name = accountName.trim();
  if (name === "")
    throw new Error(
      "accountName is empty: pass the Messages for Business account name, e.g. TestAccount_Cisco.",
    );
  const problem = mspLinkProblem(mspLink, name);
  if (problem !== undefined) throw new Error(`mspLink ${problem}`);
  const url = new URL(mspLink.trim());
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
