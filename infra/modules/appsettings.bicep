// Every app setting of the Function App, in one place. Two groups:
// - settingsTheHostReads: read by the Functions host and the platform (identity-based host storage, telemetry);
// - settingsTheAppReads: read by our code, one per key in functions/Configuration/AppSettings.cs (':' written '__')
//   except keys marked [NotProvisioned]; keys marked [Secret] are Key Vault references.
// The infra tests compare settingsTheAppReads with AppSettings.cs both ways, so adding a key there fails the build
// until it is set here. This resource replaces all app settings on each deployment: change them here, not in the portal.

@description('Name of the Function App.')
param functionAppName string

@description('Name of the storage account used for host storage (identity-based, no connection string).')
param storageAccountName string

@description('Table endpoint for Storage:TableServiceUri.')
param tableServiceUri string

@description('Queue endpoint for Storage:QueueServiceUri.')
param queueServiceUri string

@description('Name of the Key Vault that holds the secrets.')
param keyVaultName string

@description('Name of the Application Insights resource.')
param appInsightsName string

@description('Entra ID tenant id; Auth:Authority is its v2.0 authority.')
param authTenantId string

@description('Audience callers\' tokens must carry (Auth:Audience).')
param authAudience string

@description('Annual contract value above which finance must approve: an amount and an ISO 4217 currency.')
param contractsFinanceApprovalThreshold string = '1000000.00 CNY'

@description('Annual contract value above which an executive must approve too.')
param contractsExecutiveApprovalThreshold string = '5000000.00 CNY'

@description('Working days finance has to start reviewing an open dispute before it is escalated.')
@minValue(1)
@maxValue(250)
param disputesOpenWorkingDays int = 5

@description('Working days finance has to resolve a dispute under review before it is escalated.')
@minValue(1)
@maxValue(250)
param disputesUnderReviewWorkingDays int = 10

@description('Working days mediation has to resolve an escalated dispute.')
@minValue(1)
@maxValue(250)
param disputesEscalatedWorkingDays int = 20

@description('Milliseconds a Functions instance gathers the outcomes of the contracts it settles before writing them in one transaction per run (0 writes each alone).')
@minValue(0)
@maxValue(1000)
param settlementOutcomeBatchMilliseconds int = 20

@description('Page Stripe Checkout sends the merchant to after paying a deposit (https; {CHECKOUT_SESSION_ID} is filled in by Stripe).')
param depositsCheckoutSuccessUrl string = 'https://app.serviceledger.example/deposits/paid?session_id={CHECKOUT_SESSION_ID}'

@description('Page Stripe Checkout sends the merchant to when they give up paying a deposit (https).')
param depositsCheckoutCancelUrl string = 'https://app.serviceledger.example/deposits/cancelled'

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Vault secrets the app settings reference. The operator sets their values (docs/deployment.md); until then the app
// sees the literal '@Microsoft.KeyVault(...)' text instead of a secret.
var secretNames = {
  stripeSecretKey: 'stripe-secret-key'
  stripeWebhookSecret: 'stripe-webhook-secret'
}

var settingsTheHostReads = {
  // Host storage through the system-assigned identity: with only the account name the host builds the blob, queue
  // and table endpoints itself; no key, no connection string (the account refuses shared keys anyway).
  AzureWebJobsStorage__accountName: storageAccountName
  // The connection string identifies the resource (it is not a credential when local auth is disabled) ...
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  // ... and telemetry is sent with the system-assigned identity's token.
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
}

var settingsTheAppReads = {
  Storage__TableServiceUri: tableServiceUri
  Storage__QueueServiceUri: queueServiceUri
  Stripe__SecretKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.stripeSecretKey})'
  Stripe__WebhookSecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.stripeWebhookSecret})'
  // Callers' bearer tokens: Entra ID v2.0 tokens for the API's app registration (docs/auth.md).
  Auth__Authority: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
  Auth__Audience: authAudience
  // Annual contract value above which finance, then also an executive, must approve (docs/contracts.md).
  Contracts__FinanceApprovalThreshold: contractsFinanceApprovalThreshold
  Contracts__ExecutiveApprovalThreshold: contractsExecutiveApprovalThreshold
  // Response deadlines of disputes in working days per state (docs/disputes.md); app settings are strings.
  Disputes__OpenWorkingDays: string(disputesOpenWorkingDays)
  Disputes__UnderReviewWorkingDays: string(disputesUnderReviewWorkingDays)
  Disputes__EscalatedWorkingDays: string(disputesEscalatedWorkingDays)
  // How long a settling instance gathers outcome rows before one transaction per run (docs/settlement-runs.md, "Outcome rows").
  Settlement__OutcomeBatchMilliseconds: string(settlementOutcomeBatchMilliseconds)
  // Where Stripe Checkout returns the merchant; the deposit counts as paid only on the webhook (docs/deposits.md).
  Deposits__CheckoutSuccessUrl: depositsCheckoutSuccessUrl
  Deposits__CheckoutCancelUrl: depositsCheckoutCancelUrl
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union(settingsTheHostReads, settingsTheAppReads)
}

@description('Names of the vault secrets referenced by the app settings.')
output keyVaultSecretNames array = [for secret in items(secretNames): secret.value]
