// Procore Connect: a Linux function app running the custom handler, with its storage, Key Vault
// and Application Insights, reached through the app's system-assigned managed identity.
targetScope = 'resourceGroup'

@description('azd environment name; names and tags derive from it.')
@minLength(1)
@maxLength(40)
param environmentName string

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Flex Consumption: memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Flex Consumption: the most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Environments (production, sandbox, monthly, federal) whose authorize requests carry no PKCE challenge; PKCE (S256) is on everywhere else.')
param pkceOffIn array = []

@description('Refresh access tokens this close to expiry (hh:mm:ss).')
param refreshLeadTime string = '00:10:00'

@description('NCRONTAB schedule of the refresh sweep.')
param refreshSchedule string = '0 */5 * * * *'

@description('NCRONTAB schedule of the daily connection check.')
param checkSchedule string = '0 0 3 * * *'

@description('NCRONTAB schedule of the partner event delivery retries.')
param deliverSchedule string = '0 * * * * *'

@description('Refreshes in flight at once per instance.')
@minValue(1)
@maxValue(64)
param refreshConcurrency int = 16

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }
var appName = 'func-procore-${token}'
var queueName = 'refresh-due'
var pkceOffSettings = [for (environment, i) in pkceOffIn: { name: 'OAuth__PkceOffIn__${i}', value: environment }]
// Flex Consumption reads the package from this container, with the app's identity.
var deploymentContainerName = 'app-package-${appName}'

// Built-in role definition ids (least privilege for what the app does).
var roles = {
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-procore-${token}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-procore-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stprocore${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    // The app, the host and the deployment use the managed identity: nobody needs the account key.
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-procore-${take(token, 12)}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// Flex Consumption (FC1) runs custom handlers (runtime "custom" 1.0 in Az.Functions' Flex stack
// data). Linux Consumption (Y1) is not offered: it is retired on 30 September 2028, and its
// deployment needs an account key this template does not give out (docs/operations.md, "Hosting plan").
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-procore-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  dependsOn: [deploymentContainer]
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      // Flex Consumption takes the runtime from functionAppConfig and refuses FUNCTIONS_WORKER_RUNTIME
      // and FUNCTIONS_EXTENSION_VERSION; it reads the package from the deployment container.
      appSettings: concat([
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
        { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
        { name: 'Storage__TableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'Storage__QueueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'SecretStore__VaultUri', value: vault.properties.vaultUri }
        { name: 'Service__PublicBaseUrl', value: 'https://${appName}.azurewebsites.net' }
        { name: 'Tokens__RefreshLeadTime', value: refreshLeadTime }
        { name: 'Refresh__QueueName', value: queueName }
        { name: 'Refresh__MaxConcurrency', value: string(refreshConcurrency) }
        { name: 'Schedules__RefreshTokens', value: refreshSchedule }
        { name: 'Schedules__CheckConnections', value: checkSchedule }
        { name: 'Schedules__PurgeDeletedWorkspaces', value: '0 */15 * * * *' }
        { name: 'Schedules__DeliverEvents', value: deliverSchedule }
        { name: 'Schedules__PurgeProcoreCalls', value: '0 17 * * * *' }
        // The host holds the handler's whole answer in memory: the proxy relays none larger.
        { name: 'ProcoreCalls__MaxAnswerBytes', value: '104857600' }
      ], pkceOffSettings)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: { name: 'custom', version: '1.0' }
    }
  }
}

// No user name and password can publish to the app or its SCM site: azd and az deploy with Entra tokens.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

// Every secret read and write (the vault's audit events) to the Log Analytics workspace.
resource vaultAudit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logs.id
    logs: [
      { category: 'AuditEvent', enabled: true }
    ]
  }
}

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, app.id, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

// Application Insights accepts only Entra-authenticated telemetry (DisableLocalAuth), from the host
// (APPLICATIONINSIGHTS_AUTHENTICATION_STRING) and from the app's exporter alike.
resource insightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, app.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]: {
    name: guid(storage.id, app.id, role)
    scope: storage
    properties: {
      principalId: app.identity.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_FUNCTION_APP_NAME string = app.name
output AZURE_APP_INSIGHTS_NAME string = insights.name
output SERVICE_API_URI string = 'https://${app.properties.defaultHostName}'
output OAUTH_CALLBACK_URL string = 'https://${app.properties.defaultHostName}/api/oauth/callback'
output AZURE_KEY_VAULT_URI string = vault.properties.vaultUri
