// The service ledger in one resource group: a Function App on the Flex Consumption plan (Linux, custom handler) with
// its system-assigned identity, a storage account for the host, tables and queues (no shared keys), a Key Vault for
// the Stripe secrets, Application Insights on a Log Analytics workspace, and least-privilege role assignments.
// Deploy: docs/deployment.md. No secret is an input or an output of this template: the two Stripe secrets are put in
// the vault by the operator after deployment, and the app reads them through Key Vault references.
targetScope = 'resourceGroup'

@description('Environment this deployment is for; part of every resource name.')
@allowed([
  'dev'
  'prod'
])
param environmentName string

@description('Short product name used to derive resource names: lowercase letters and digits only (storage account names allow nothing else).')
@minLength(3)
@maxLength(11)
param baseName string = 'sledger'

@description('Azure region; it must offer the Flex Consumption plan with the custom runtime (docs/deployment.md, prerequisites).')
param location string = resourceGroup().location

@description('Upper bound on Flex Consumption instances, i.e. on cost and on concurrent load on storage and Stripe.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per Flex Consumption instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Redundancy of the storage account that holds the ledger tables and queues.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param storageSku string

@description('Days the Log Analytics workspace keeps logs and Application Insights telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int

@description('Days a deleted Key Vault (and its secrets) stays recoverable; with purge protection its name stays reserved that long. Fixed at creation.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int

@description('Entra ID tenant that issues callers\' tokens (Auth:Authority is its v2.0 authority). Defaults to the deployment\'s tenant.')
@minLength(36)
@maxLength(36)
param authTenantId string = tenant().tenantId

@description('Audience callers\' tokens must carry (Auth:Audience): the client id of the API\'s app registration (docs/auth.md).')
@minLength(1)
param authAudience string

// uniqueString is deterministic per resource group, base name and environment, so redeploying updates in place.
var suffix = uniqueString(resourceGroup().id, baseName, environmentName)
var names = {
  functionApp: 'func-${baseName}-${environmentName}-${suffix}'
  plan: 'plan-${baseName}-${environmentName}'
  storageAccount: take('st${baseName}${suffix}', 24)
  keyVault: take('kv-${baseName}-${suffix}', 24)
  logAnalytics: 'log-${baseName}-${environmentName}'
  appInsights: 'appi-${baseName}-${environmentName}'
}
var tags = {
  product: 'service-ledger'
  environment: environmentName
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    logRetentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    storageAccountName: names.storageAccount
    storageSku: storageSku
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    location: location
    tags: tags
    keyVaultName: names.keyVault
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionApp'
  params: {
    location: location
    tags: tags
    functionAppName: names.functionApp
    planName: names.plan
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

module access 'modules/access.bicep' = {
  name: 'access'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.storageAccountName
    hostBlobContainerNames: storage.outputs.hostBlobContainerNames
    keyVaultName: keyVault.outputs.keyVaultName
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

// App settings go last: the host restarts on them, and by then its identity may use storage, the vault and telemetry.
module appSettings 'modules/appsettings.bicep' = {
  name: 'appSettings'
  dependsOn: [
    access
  ]
  params: {
    functionAppName: functionApp.outputs.functionAppName
    storageAccountName: storage.outputs.storageAccountName
    tableServiceUri: storage.outputs.tableServiceUri
    queueServiceUri: storage.outputs.queueServiceUri
    keyVaultName: keyVault.outputs.keyVaultName
    appInsightsName: monitoring.outputs.appInsightsName
    authTenantId: authTenantId
    authAudience: authAudience
  }
}

@description('Name of the Function App (for az functionapp commands).')
output functionAppName string = functionApp.outputs.functionAppName

@description('Host name of the Function App.')
output functionAppHostName string = functionApp.outputs.defaultHostName

@description('Health endpoint to probe after publishing.')
output healthUrl string = 'https://${functionApp.outputs.defaultHostName}/api/health'

@description('URL to register as the Stripe webhook endpoint.')
output stripeWebhookUrl string = 'https://${functionApp.outputs.defaultHostName}/api/stripe/webhook'

@description('Name of the Key Vault that holds the Stripe secrets.')
output keyVaultName string = keyVault.outputs.keyVaultName

@description('Names of the vault secrets the app settings reference; the operator sets their values.')
output keyVaultSecretNames array = appSettings.outputs.keyVaultSecretNames

@description('Name of the storage account (tables, queues, host blobs, deployment packages).')
output storageAccountName string = storage.outputs.storageAccountName

@description('Name of the Application Insights resource.')
output appInsightsName string = monitoring.outputs.appInsightsName

@description('Object id of the Function App identity, for auditing its role assignments.')
output functionAppPrincipalId string = functionApp.outputs.principalId
