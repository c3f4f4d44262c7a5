// Least-privilege role assignments for the Function App's system-assigned identity. Role ids come from ../roles.json
// (the only place they are named). Why each role and scope (docs/deployment.md, "What the app's identity may do"):
// - Storage Table Data Contributor on the account: the ledger tables; the host also writes its diagnostic-events table.
// - Storage Queue Data Contributor on the account: queue triggers (read, delete, move to -poison) and our enqueues.
// - Storage Blob Data Owner on the host containers only (timer and host locks, key store, deployment packages), not
//   on the account: the identity cannot read or write any other blob container.
// - Key Vault Secrets User on the vault: read secret values for the Key Vault references (no list, no write).
// - Monitoring Metrics Publisher on Application Insights: send telemetry with local auth disabled.

@description('Object id of the Function App system-assigned identity.')
param principalId string

@description('Name of the storage account.')
param storageAccountName string

@description('Blob containers the Functions host and the Flex platform use, all created by storage.bicep.')
param hostBlobContainerNames array

@description('Name of the Key Vault.')
param keyVaultName string

@description('Name of the Application Insights resource.')
param appInsightsName string

var roles = loadJsonContent('../roles.json')

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: account
  name: 'default'
}

resource hostBlobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for containerName in hostBlobContainerNames: {
  parent: blobService
  name: containerName
}]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, roles.StorageTableDataContributor.id)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.StorageTableDataContributor.id)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Service ledger Function App: ledger tables and the host diagnostic-events table.'
  }
}

resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, roles.StorageQueueDataContributor.id)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.StorageQueueDataContributor.id)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Service ledger Function App: queue triggers, poison queues and enqueues.'
  }
}

resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (containerName, i) in hostBlobContainerNames: {
  name: guid(hostBlobContainers[i].id, principalId, roles.StorageBlobDataOwner.id)
  scope: hostBlobContainers[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.StorageBlobDataOwner.id)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Service ledger Function App: host container ${containerName}.'
  }
}]

resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roles.KeyVaultSecretsUser.id)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.KeyVaultSecretsUser.id)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Service ledger Function App: resolve the Key Vault references of its app settings.'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, roles.MonitoringMetricsPublisher.id)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.MonitoringMetricsPublisher.id)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Service ledger Function App: send telemetry to Application Insights with Entra authentication.'
  }
}
