// The one storage account of the product: Functions host storage (blobs), the Flex deployment container, and the
// ledger's tables and queues. Shared-key access is off, so every caller (host, platform, our code) uses Entra ID.
// Tables and queues come from ../storage.json, which the infra tests keep equal to functions/Configuration/StorageNames.cs.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param storageAccountName string

@description('Redundancy of the account.')
param storageSku string

var storageNames = loadJsonContent('../storage.json')

// Must stay equal to StorageNames.PoisonQueueOf: the queue trigger moves a message there after its last attempt.
var poisonQueueSuffix = '-poison'

// Where the Flex platform keeps the deployment packages (functionAppConfig.deployment.storage).
var deploymentContainerName = 'app-package'

// Containers the Functions host uses through AzureWebJobsStorage: timer and host locks (blob leases) and the
// function key store. They are created here so that the host's role can be scoped to them (access.bicep).
var hostBlobContainerNames = [
  'azure-webjobs-hosts'
  'azure-webjobs-secrets'
  deploymentContainerName
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource hostBlobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for containerName in hostBlobContainerNames: {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
  }
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for tableName in storageNames.tables: {
  parent: tableService
  name: tableName
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queueName in storageNames.queues: {
  parent: queueService
  name: queueName
}]

// Created up front so that alerts and the finance replay can read them before the first failure.
resource poisonQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queueName in storageNames.queues: {
  parent: queueService
  name: '${queueName}${poisonQueueSuffix}'
}]

@description('Name of the storage account.')
output storageAccountName string = account.name

@description('Table endpoint without a trailing slash (https://<account>.table.<storage suffix>), as Storage:TableServiceUri expects.')
output tableServiceUri string = 'https://${account.name}.table.${environment().suffixes.storage}'

@description('Queue endpoint without a trailing slash (https://<account>.queue.<storage suffix>), as Storage:QueueServiceUri expects.')
output queueServiceUri string = 'https://${account.name}.queue.${environment().suffixes.storage}'

@description('URL of the container the Flex platform deploys packages from.')
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainerName}'

@description('Containers the Function App identity gets Storage Blob Data Owner on, and nothing else in blob storage.')
output hostBlobContainerNames array = hostBlobContainerNames
